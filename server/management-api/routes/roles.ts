import { z } from 'zod';
import { applicationResponse } from '../../schemas/applications.ts';
import { id, pagination, searchQuery } from '../../schemas/common.ts';
import { resourceResponse, scopeResponse } from '../../schemas/resources.ts';
import { roleCreate, roleListItem, roleListQuery, rolePatch, roleResponse, scopeIdsBody } from '../../schemas/roles.ts';
import { userIdsBody, userResponse } from '../../schemas/users.ts';
import { toApplicationResponse } from '../../services/applications.ts';
import * as roles from '../../services/roles.ts';
import { route } from '../route.ts';

const tag = 'Roles';
const params = z.object({ id });

export const roleOps = {
  list: route({
    method: 'GET', path: '/api/roles', scope: 'read:roles', tag, summary: 'List roles',
    query: pagination.extend(roleListQuery.shape), response: z.array(roleListItem), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = await roles.listRoles(query, query);
      return { body: page.items, total: page.total };
    },
  }),
  create: route({
    method: 'POST', path: '/api/roles', scope: 'write:roles', tag, summary: 'Create a role',
    body: roleCreate, response: roleResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ body, actor }) => ({ body: await roles.createRole(actor, body) }),
  }),
  get: route({
    method: 'GET', path: '/api/roles/:id', scope: 'read:roles', tag, summary: 'Get a role',
    params, response: roleResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await roles.getRole(p.id) }),
  }),
  update: route({
    method: 'PATCH', path: '/api/roles/:id', scope: 'write:roles', tag, summary: 'Update a role',
    params, body: rolePatch, response: roleResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await roles.updateRole(actor, p.id, body) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/roles/:id', scope: 'write:roles', tag, summary: 'Delete a role',
    params, status: 204, errors: [404, 422],
    handler: async ({ params: p, actor }) => (await roles.deleteRole(actor, p.id), {}),
  }),
  scopes: route({
    method: 'GET', path: '/api/roles/:id/scopes', scope: 'read:roles', tag, summary: "List a role's scopes with their resources",
    params, query: pagination.extend({ search: z.string().max(200).optional() }),
    response: z.array(scopeResponse.extend({ resource: resourceResponse })), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await roles.listRoleScopes(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  addScopes: route({
    method: 'POST', path: '/api/roles/:id/scopes', scope: 'write:roles', tag, summary: 'Add scopes to a role',
    params, body: scopeIdsBody, response: z.array(scopeResponse), status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ status: 201, body: await roles.addRoleScopes(actor, p.id, body.scopeIds) }),
  }),
  removeScope: route({
    method: 'DELETE', path: '/api/roles/:id/scopes/:scopeId', scope: 'write:roles', tag, summary: 'Remove a scope from a role',
    params: params.extend({ scopeId: id }), status: 204, errors: [404, 422],
    handler: async ({ params: p, actor }) => (await roles.removeRoleScope(actor, p.id, p.scopeId), {}),
  }),
  applications: route({
    method: 'GET', path: '/api/roles/:id/applications', scope: 'read:roles', tag, summary: 'List the applications that have a role',
    params, query: pagination.extend(searchQuery.shape), response: z.array(applicationResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await roles.listRoleApplications(p.id, query, query);
      return { body: page.items.map(toApplicationResponse), total: page.total };
    },
  }),
  assignApplications: route({
    method: 'POST', path: '/api/roles/:id/applications', scope: 'write:roles', tag, summary: 'Assign a MachineToMachine role to applications',
    params, body: z.object({ applicationIds: z.array(id).min(1).max(1000) }).strict(), status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => (await roles.assignRoleApplications(actor, p.id, body.applicationIds), { status: 201 }),
  }),
  removeApplication: route({
    method: 'DELETE', path: '/api/roles/:id/applications/:applicationId', scope: 'write:roles', tag, summary: 'Remove a role from an application',
    params: params.extend({ applicationId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await roles.removeRoleApplication(actor, p.id, p.applicationId), {}),
  }),
  users: route({
    method: 'GET', path: '/api/roles/:id/users', scope: 'read:roles', tag, summary: 'List the users that have a role',
    params, query: pagination.extend(searchQuery.shape), response: z.array(userResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await roles.listRoleUsers(p.id, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  assignUsers: route({
    method: 'POST', path: '/api/roles/:id/users', scope: 'write:roles', tag, summary: 'Assign a User role to users',
    params, body: userIdsBody, status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => (await roles.assignRoleUsers(actor, p.id, body.userIds), { status: 201 }),
  }),
  removeUser: route({
    method: 'DELETE', path: '/api/roles/:id/users/:userId', scope: 'write:roles', tag, summary: 'Remove a role from a user',
    params: params.extend({ userId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await roles.removeRoleUser(actor, p.id, p.userId), {}),
  }),
};
