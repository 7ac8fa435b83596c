import { z } from 'zod';
import { EVERY_ROW, id, optionalPagination, pagination, requestedPage } from '../../schemas/common.ts';
import { isDefaultBody, resourceCreate, resourcePatch, resourceResponse, scopeCreate, scopePatch, scopeResponse } from '../../schemas/resources.ts';
import * as resources from '../../services/resources.ts';
import { route } from '../route.ts';

const tag = 'Resources';
const params = z.object({ id });
const scopeParams = z.object({ resourceId: id });
const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const resourceOps = {
  list: route({
    method: 'GET', path: '/api/resources', scope: 'read:resources', tag, summary: 'List API resources',
    query: optionalPagination.extend({ search: z.string().max(200).optional(), includeScopes: boolString.optional() }),
    response: z.array(resourceResponse), status: 200, paginated: true,
    handler: async ({ query }) => {
      const requested = requestedPage(query);
      const page = await resources.listResources(query, requested ?? EVERY_ROW);
      return { body: page.items, ...(requested ? { total: page.total } : {}) };
    },
  }),
  create: route({
    method: 'POST', path: '/api/resources', scope: 'write:resources', tag, summary: 'Create an API resource',
    body: resourceCreate, response: resourceResponse, status: 201, errors: [400, 422],
    handler: async ({ body, actor }) => ({ status: 201, body: await resources.createResource(actor, body) }),
  }),
  get: route({
    method: 'GET', path: '/api/resources/:id', scope: 'read:resources', tag, summary: 'Get an API resource with its scopes',
    params, response: resourceResponse, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await resources.getResource(p.id) }),
  }),
  update: route({
    method: 'PATCH', path: '/api/resources/:id', scope: 'write:resources', tag, summary: 'Update an API resource',
    params, body: resourcePatch, response: resourceResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await resources.updateResource(actor, p.id, body) }),
  }),
  setDefault: route({
    method: 'PATCH', path: '/api/resources/:id/is-default', scope: 'write:resources', tag, summary: 'Make an API resource the default (or not)',
    params, body: isDefaultBody, response: resourceResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await resources.setDefaultResource(actor, p.id, body.isDefault) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/resources/:id', scope: 'write:resources', tag, summary: 'Delete an API resource',
    params, status: 204, errors: [404, 422],
    handler: async ({ params: p, actor }) => (await resources.deleteResource(actor, p.id), {}),
  }),
  scopes: route({
    method: 'GET', path: '/api/resources/:resourceId/scopes', scope: 'read:resources', tag, summary: "List a resource's scopes",
    params: scopeParams, query: pagination.extend({ search: z.string().max(200).optional() }), response: z.array(scopeResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await resources.listScopes(p.resourceId, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  createScope: route({
    method: 'POST', path: '/api/resources/:resourceId/scopes', scope: 'write:resources', tag, summary: 'Create a scope',
    params: scopeParams, body: scopeCreate, response: scopeResponse, status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ status: 201, body: await resources.createScope(actor, p.resourceId, body) }),
  }),
  updateScope: route({
    method: 'PATCH', path: '/api/resources/:resourceId/scopes/:scopeId', scope: 'write:resources', tag, summary: 'Update a scope',
    params: scopeParams.extend({ scopeId: id }), body: scopePatch, response: scopeResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await resources.updateScope(actor, p.resourceId, p.scopeId, body) }),
  }),
  deleteScope: route({
    method: 'DELETE', path: '/api/resources/:resourceId/scopes/:scopeId', scope: 'write:resources', tag, summary: 'Delete a scope',
    params: scopeParams.extend({ scopeId: id }), status: 204, errors: [404, 422],
    handler: async ({ params: p, actor }) => (await resources.deleteScope(actor, p.resourceId, p.scopeId), {}),
  }),
};
