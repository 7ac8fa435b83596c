// Just-in-time provisioning settings: /api/organizations/:id/jit/email-domains and /jit/roles.
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import {
  emailDomainBody, emailDomainResponse, emailDomainsPut, optionalPagination, organizationRoleResponse,
} from '../../schemas/organizations.ts';
import { isPaged } from '../../services/organizations/common.ts';
import * as jit from '../../services/organizations/jit.ts';
import { route } from '../route.ts';

const tag = 'Organization JIT';
const params = z.object({ id });
const roleIds = z.object({ organizationRoleIds: z.array(id).max(1000) }).strict();

export const organizationJitRoutes = [
  route({
    method: 'GET', path: '/api/organizations/:id/jit/email-domains', scope: 'read:organizations', tag, summary: 'List the email domains whose users join the organization (all without page/page_size)',
    params, query: optionalPagination, response: z.array(emailDomainResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await jit.listEmailDomains(p.id, query);
      return { body: page.items, ...(isPaged(query) ? { total: page.total } : {}) };
    },
  }),
  route({
    method: 'POST', path: '/api/organizations/:id/jit/email-domains', scope: 'write:organizations', tag, summary: 'Add a JIT email domain',
    params, body: emailDomainBody, response: emailDomainResponse, status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await jit.addEmailDomain(actor, p.id, body.emailDomain) }),
  }),
  route({
    method: 'PUT', path: '/api/organizations/:id/jit/email-domains', scope: 'write:organizations', tag, summary: 'Replace the JIT email domains',
    params, body: emailDomainsPut, status: 204, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => (await jit.replaceEmailDomains(actor, p.id, body.emailDomains), {}),
  }),
  route({
    method: 'DELETE', path: '/api/organizations/:id/jit/email-domains/:emailDomain', scope: 'write:organizations', tag, summary: 'Remove a JIT email domain',
    params: params.extend({ emailDomain: z.string().min(1).max(256) }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await jit.removeEmailDomain(actor, p.id, p.emailDomain), {}),
  }),
  route({
    method: 'GET', path: '/api/organizations/:id/jit/roles', scope: 'read:organizations', tag, summary: 'List the organization roles JIT members get',
    params, query: optionalPagination, response: z.array(organizationRoleResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await jit.listJitRoles(p.id, query);
      return { body: page.items, ...(isPaged(query) ? { total: page.total } : {}) };
    },
  }),
  route({
    method: 'POST', path: '/api/organizations/:id/jit/roles', scope: 'write:organizations', tag, summary: 'Add organization roles JIT members get (ones already set are kept)',
    params, body: roleIds.extend({ organizationRoleIds: z.array(id).min(1).max(1000) }), status: 201, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await jit.addJitRoles(actor, p.id, body.organizationRoleIds), { status: 201 }),
  }),
  route({
    method: 'PUT', path: '/api/organizations/:id/jit/roles', scope: 'write:organizations', tag, summary: 'Replace the organization roles JIT members get',
    params, body: roleIds, status: 204, errors: [400, 422],
    handler: async ({ params: p, body, actor }) => (await jit.replaceJitRoles(actor, p.id, body.organizationRoleIds), {}),
  }),
  route({
    method: 'DELETE', path: '/api/organizations/:id/jit/roles/:organizationRoleId', scope: 'write:organizations', tag, summary: 'Remove an organization role from the JIT roles',
    params: params.extend({ organizationRoleId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await jit.removeJitRole(actor, p.id, p.organizationRoleId), {}),
  }),
];
