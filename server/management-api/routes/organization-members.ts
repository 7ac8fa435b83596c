// Memberships of an organization: /api/organizations/:id/users and /applications, and member roles.
import { z } from 'zod';
import { applicationResponse } from '../../schemas/applications.ts';
import { id, pagination } from '../../schemas/common.ts';
import {
  applicationIdsBody, applicationIdsPut, memberRolesBody, membersQuery, membersRolesBody, optionalPagination, organizationRoleResponse,
  organizationScopeResponse, organizationUserResponse, roleRef, searchQ, userIdsBody, userIdsPut,
} from '../../schemas/organizations.ts';
import { isPaged } from '../../services/organizations/common.ts';
import * as reads from '../../services/organizations/member-reads.ts';
import * as members from '../../services/organizations/members.ts';
import type { MemberKind } from '../../services/organizations/members.ts';
import { route, type Route } from '../route.ts';

const tag = 'Organization members';
const params = z.object({ id });

/** The routes on one kind of member's roles: `/:id/{users|applications}/:memberId/roles`. */
function memberRoleRoutes(kind: MemberKind, segment: string, memberParam: string): Route[] {
  const memberParams = z.object({ id, [memberParam]: id }) as z.ZodType<Record<string, string>>;
  const base = `/api/organizations/:id/${segment}/:${memberParam}/roles`;
  return [
    route({
      method: 'GET', path: base, scope: 'read:organizations', tag, summary: `List the organization roles of a member ${kind}`,
      params: memberParams, query: optionalPagination, response: z.array(organizationRoleResponse), status: 200, errors: [422], paginated: true,
      handler: async ({ params: p, query }) => {
        const page = await reads.listMemberRoles(kind, p.id!, p[memberParam]!, query);
        return { body: page.items, ...(isPaged(query) ? { total: page.total } : {}) };
      },
    }),
    route({
      method: 'POST', path: base, scope: 'write:organizations', tag, summary: `Give a member ${kind} organization roles (by id or name)`,
      params: memberParams, body: memberRolesBody, response: z.object({ organizationRoleIds: z.array(id) }), status: 201, errors: [400, 422],
      handler: async ({ params: p, body, actor }) => ({ body: { organizationRoleIds: await members.addMemberRoles(actor, kind, p.id!, p[memberParam]!, body) } }),
    }),
    route({
      method: 'PUT', path: base, scope: 'write:organizations', tag, summary: `Replace a member ${kind}'s organization roles`,
      params: memberParams, body: memberRolesBody, status: 204, errors: [400, 422],
      handler: async ({ params: p, body, actor }) => (await members.replaceMemberRoles(actor, kind, p.id!, p[memberParam]!, body), {}),
    }),
    route({
      method: 'DELETE', path: `${base}/:organizationRoleId`, scope: 'write:organizations', tag, summary: `Remove an organization role from a member ${kind}`,
      params: z.object({ id, [memberParam]: id, organizationRoleId: id }) as z.ZodType<Record<string, string>>, status: 204, errors: [404, 422],
      handler: async ({ params: p, actor }) => (await members.removeMemberRole(actor, kind, p.id!, p[memberParam]!, p.organizationRoleId!), {}),
    }),
    route({
      method: 'POST', path: `/api/organizations/:id/${segment}/roles`, scope: 'write:organizations', tag, summary: `Give every listed member ${kind} every listed organization role`,
      params, body: membersRolesBody(kind === 'user' ? 'userIds' : 'applicationIds') as z.ZodType<Record<string, string[]>>, status: 201, errors: [400, 422],
      handler: async ({ params: p, body, actor }) => {
        await members.addMembersRoles(actor, kind, p.id, body[kind === 'user' ? 'userIds' : 'applicationIds']!, body.organizationRoleIds!);
        return { status: 201 };
      },
    }),
  ] as Route[];
}

export const organizationMemberRoutes = [
  route({
    method: 'GET', path: '/api/organizations/:id/users', scope: 'read:organizations', tag, summary: 'List the member users with their organization roles',
    params, query: pagination.extend(membersQuery.shape), response: z.array(organizationUserResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await reads.listOrganizationUsers(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  route({
    method: 'POST', path: '/api/organizations/:id/users', scope: 'write:organizations', tag, summary: 'Add users to an organization (members already in it are kept)',
    params, body: userIdsBody, response: z.object({ userIds: z.array(id) }), status: 201, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await members.addMembers(actor, 'user', p.id, body.userIds), { body: { userIds: body.userIds } }),
  }),
  route({
    method: 'PUT', path: '/api/organizations/:id/users', scope: 'write:organizations', tag, summary: "Replace an organization's users",
    params, body: userIdsPut, status: 204, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await members.replaceMembers(actor, 'user', p.id, body.userIds), {}),
  }),
  route({
    method: 'DELETE', path: '/api/organizations/:id/users/:userId', scope: 'write:organizations', tag, summary: 'Remove a user from an organization',
    params: params.extend({ userId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await members.removeMember(actor, 'user', p.id, p.userId), {}),
  }),
  route({
    method: 'GET', path: '/api/organizations/:id/users/:userId/scopes', scope: 'read:organizations', tag, summary: 'The organization scopes a member user holds',
    params: params.extend({ userId: id }), response: z.array(organizationScopeResponse), status: 200, errors: [422],
    handler: async ({ params: p }) => ({ body: await reads.memberScopes('user', p.id, p.userId) }),
  }),
  ...memberRoleRoutes('user', 'users', 'userId'),
  route({
    method: 'GET', path: '/api/organizations/:id/applications', scope: 'read:organizations', tag, summary: 'List the member applications with their organization roles',
    params, query: pagination.extend(searchQ.shape), response: z.array(applicationResponse.extend({ organizationRoles: z.array(roleRef) })), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await reads.listOrganizationApplications(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  route({
    method: 'POST', path: '/api/organizations/:id/applications', scope: 'write:organizations', tag, summary: 'Add MachineToMachine applications to an organization',
    params, body: applicationIdsBody, status: 201, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await members.addMembers(actor, 'application', p.id, body.applicationIds), { status: 201 }),
  }),
  route({
    method: 'PUT', path: '/api/organizations/:id/applications', scope: 'write:organizations', tag, summary: "Replace an organization's applications",
    params, body: applicationIdsPut, status: 204, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await members.replaceMembers(actor, 'application', p.id, body.applicationIds), {}),
  }),
  route({
    method: 'DELETE', path: '/api/organizations/:id/applications/:applicationId', scope: 'write:organizations', tag, summary: 'Remove an application from an organization',
    params: params.extend({ applicationId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await members.removeMember(actor, 'application', p.id, p.applicationId), {}),
  }),
  route({
    method: 'GET', path: '/api/organizations/:id/applications/:applicationId/scopes', scope: 'read:organizations', tag, summary: 'The organization scopes a member application holds',
    params: params.extend({ applicationId: id }), response: z.array(organizationScopeResponse), status: 200, errors: [422],
    handler: async ({ params: p }) => ({ body: await reads.memberScopes('application', p.id, p.applicationId) }),
  }),
  ...memberRoleRoutes('application', 'applications', 'applicationId'),
];
