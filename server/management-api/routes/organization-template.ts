// The organization template: /api/organization-scopes and /api/organization-roles (with their scopes).
import { z } from 'zod';
import { id, pagination } from '../../schemas/common.ts';
import {
  optionalPagination, organizationRoleCreate, organizationRolePatch, organizationRoleResponse, organizationRoleWithScopes,
  organizationScopeCreate, organizationScopeIdsBody, organizationScopeIdsPut, organizationScopePatch, organizationScopeResponse,
  resourceScopeIdsBody, resourceScopeIdsPut, searchQ,
} from '../../schemas/organizations.ts';
import { scopeResponse } from '../../schemas/resources.ts';
import { isPaged } from '../../services/organizations/common.ts';
import * as roleScopes from '../../services/organizations/role-scopes.ts';
import * as roles from '../../services/organizations/roles.ts';
import * as scopes from '../../services/organizations/scopes.ts';
import { route } from '../route.ts';

const tag = 'Organization template';
const params = z.object({ id });

export const organizationTemplateRoutes = [
  route({
    method: 'GET', path: '/api/organization-scopes', scope: 'read:organizations', tag, summary: 'List organization scopes (all of them without page/page_size)',
    query: optionalPagination.extend(searchQ.shape), response: z.array(organizationScopeResponse), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = await scopes.listOrganizationScopes(query, query);
      return { body: page.items, ...(isPaged(query) ? { total: page.total } : {}) };
    },
  }),
  route({
    method: 'POST', path: '/api/organization-scopes', scope: 'write:organizations', tag, summary: 'Create an organization scope',
    body: organizationScopeCreate, response: organizationScopeResponse, status: 201, errors: [400, 422],
    handler: async ({ body, actor }) => ({ body: await scopes.createOrganizationScope(actor, body) }),
  }),
  route({
    method: 'GET', path: '/api/organization-scopes/:id', scope: 'read:organizations', tag, summary: 'Get an organization scope',
    params, response: organizationScopeResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await scopes.getOrganizationScope(p.id) }),
  }),
  route({
    method: 'PATCH', path: '/api/organization-scopes/:id', scope: 'write:organizations', tag, summary: 'Update an organization scope',
    params, body: organizationScopePatch, response: organizationScopeResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await scopes.updateOrganizationScope(actor, p.id, body) }),
  }),
  route({
    method: 'DELETE', path: '/api/organization-scopes/:id', scope: 'write:organizations', tag, summary: 'Delete an organization scope',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await scopes.deleteOrganizationScope(actor, p.id), {}),
  }),
  route({
    method: 'GET', path: '/api/organization-roles', scope: 'read:organizations', tag, summary: 'List organization roles with their scopes and resource scopes',
    query: pagination.extend(searchQ.shape), response: z.array(organizationRoleWithScopes), status: 200, paginated: true,
    handler: async ({ query }) => {
      const page = await roles.listOrganizationRoles(query, query);
      return { body: page.items, total: page.total };
    },
  }),
  route({
    method: 'POST', path: '/api/organization-roles', scope: 'write:organizations', tag, summary: 'Create an organization role, optionally with organization scopes and resource scopes',
    body: organizationRoleCreate, response: organizationRoleResponse, status: 201, errors: [400, 422],
    handler: async ({ body, actor }) => ({ body: await roles.createOrganizationRole(actor, body) }),
  }),
  route({
    method: 'GET', path: '/api/organization-roles/:id', scope: 'read:organizations', tag, summary: 'Get an organization role',
    params, response: organizationRoleResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await roles.getOrganizationRole(p.id) }),
  }),
  route({
    method: 'PATCH', path: '/api/organization-roles/:id', scope: 'write:organizations', tag, summary: 'Update an organization role',
    params, body: organizationRolePatch, response: organizationRoleResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await roles.updateOrganizationRole(actor, p.id, body) }),
  }),
  route({
    method: 'DELETE', path: '/api/organization-roles/:id', scope: 'write:organizations', tag, summary: 'Delete an organization role (members lose it)',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await roles.deleteOrganizationRole(actor, p.id), {}),
  }),
  ...(['organization', 'resource'] as const).flatMap((kind) => {
    const segment = kind === 'organization' ? 'scopes' : 'resource-scopes';
    const base = `/api/organization-roles/:id/${segment}`;
    const what = kind === 'organization' ? 'organization scopes' : 'API resource scopes';
    return [
      route({
        method: 'GET', path: base, scope: 'read:organizations', tag, summary: `List an organization role's ${what}`,
        params, query: optionalPagination.extend(searchQ.shape), response: z.array(kind === 'organization' ? organizationScopeResponse : scopeResponse), status: 200, errors: [404], paginated: true,
        handler: async ({ params: p, query }) => {
          const page = await roleScopes.listRoleScopes(kind, p.id, query, query);
          return { body: page.items, ...(isPaged(query) ? { total: page.total } : {}) };
        },
      }),
      route({
        method: 'POST', path: base, scope: 'write:organizations', tag, summary: `Add ${what} to an organization role`,
        params, body: (kind === 'organization' ? organizationScopeIdsBody : resourceScopeIdsBody) as z.ZodType<Record<string, string[]>>, status: 201, errors: [400, 404, 422],
        handler: async ({ params: p, body, actor }) => {
          await roleScopes.addRoleScopes(actor, kind, p.id, body[kind === 'organization' ? 'organizationScopeIds' : 'scopeIds']!);
          return { status: 201 };
        },
      }),
      route({
        method: 'PUT', path: base, scope: 'write:organizations', tag, summary: `Replace an organization role's ${what}`,
        params, body: (kind === 'organization' ? organizationScopeIdsPut : resourceScopeIdsPut) as z.ZodType<Record<string, string[]>>, status: 204, errors: [400, 404, 422],
        handler: async ({ params: p, body, actor }) => {
          await roleScopes.replaceRoleScopes(actor, kind, p.id, body[kind === 'organization' ? 'organizationScopeIds' : 'scopeIds']!);
          return {};
        },
      }),
      route({
        method: 'DELETE', path: `${base}/:scopeId`, scope: 'write:organizations', tag, summary: `Remove one of an organization role's ${what}`,
        params: params.extend({ scopeId: id }), status: 204, errors: [404],
        handler: async ({ params: p, actor }) => (await roleScopes.removeRoleScope(actor, kind, p.id, p.scopeId), {}),
      }),
    ];
  }),
];
