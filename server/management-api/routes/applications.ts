import { z } from 'zod';
import {
  applicationCreate, applicationCreatedResponse, applicationListQuery, applicationPatch, applicationResponse,
  customDataPatch, secretCreate, secretCreatedResponse, secretListItem, secretPatch,
} from '../../schemas/applications.ts';
import { EVERY_ROW, id, optionalPagination, pagination, requestedPage, searchQuery } from '../../schemas/common.ts';
import { roleIdsBody, roleResponse } from '../../schemas/roles.ts';
import * as apps from '../../services/applications.ts';
import { toRoleResponse } from '../../services/roles.ts';
import { route } from '../route.ts';

const tag = 'Applications';
const appParams = z.object({ id });
const appIdParams = z.object({ applicationId: id });

export const applicationOps = {
  list: route({
    method: 'GET', path: '/api/applications', scope: 'read:applications', tag, summary: 'List applications',
    query: optionalPagination.extend(applicationListQuery.shape), response: z.array(applicationResponse), status: 200, paginated: true,
    handler: async ({ query }) => {
      const types = query.types === undefined ? undefined : Array.isArray(query.types) ? query.types : [query.types];
      const requested = requestedPage(query);
      const page = await apps.listApplications({ ...query, types }, requested ?? EVERY_ROW);
      return { body: page.items, ...(requested ? { total: page.total } : {}) };
    },
  }),
  create: route({
    method: 'POST', path: '/api/applications', scope: 'write:applications', tag, summary: 'Create an application (the secret is returned once)',
    body: applicationCreate, response: applicationCreatedResponse, status: 200, errors: [400, 422],
    handler: async ({ body, actor }) => ({ body: apps.createdForManagementApi(await apps.createApplication(actor, body)) }),
  }),
  get: route({
    method: 'GET', path: '/api/applications/:id', scope: 'read:applications', tag, summary: 'Get an application',
    params: appParams, response: applicationResponse, status: 200, errors: [404],
    handler: async ({ params }) => ({ body: await apps.getApplication(params.id) }),
  }),
  update: route({
    method: 'PATCH', path: '/api/applications/:id', scope: 'write:applications', tag, summary: 'Update an application',
    params: appParams, body: applicationPatch, response: applicationResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params, body, actor }) => ({ body: await apps.updateApplication(actor, params.id, body) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/applications/:id', scope: 'write:applications', tag, summary: 'Delete an application',
    params: appParams, status: 204, errors: [404],
    handler: async ({ params, actor }) => (await apps.deleteApplication(actor, params.id), {}),
  }),
  updateCustomData: route({
    method: 'PATCH', path: '/api/applications/:id/custom-data', scope: 'write:applications', tag, summary: "Merge keys into an application's customData",
    params: appParams, body: customDataPatch, response: z.record(z.string(), z.unknown()), status: 200, errors: [400, 404],
    handler: async ({ params, body, actor }) => ({ body: await apps.patchCustomData(actor, params.id, body) }),
  }),
  roles: route({
    method: 'GET', path: '/api/applications/:applicationId/roles', scope: 'read:applications', tag, summary: "List a MachineToMachine application's roles",
    params: appIdParams, query: pagination.extend(searchQuery.shape), response: z.array(roleResponse), status: 200, errors: [404, 422], paginated: true,
    handler: async ({ params, query }) => {
      const page = await apps.listApplicationRoles(params.applicationId, query, query);
      return { body: page.items.map(toRoleResponse), total: page.total };
    },
  }),
  assignRoles: route({
    method: 'POST', path: '/api/applications/:applicationId/roles', scope: 'write:applications', tag, summary: 'Assign MachineToMachine roles to an application',
    params: appIdParams, body: roleIdsBody, response: z.object({ roleIds: z.array(id), addedRoleIds: z.array(id) }), status: 201, errors: [400, 404, 422],
    handler: async ({ params, body, actor }) => ({ status: 201, body: await apps.assignApplicationRoles(actor, params.applicationId, body.roleIds) }),
  }),
  replaceRoles: route({
    method: 'PUT', path: '/api/applications/:applicationId/roles', scope: 'write:applications', tag, summary: "Replace a MachineToMachine application's roles",
    params: appIdParams, body: roleIdsBody, status: 204, errors: [400, 404, 422],
    handler: async ({ params, body, actor }) => (await apps.replaceApplicationRoles(actor, params.applicationId, body.roleIds), {}),
  }),
  removeRole: route({
    method: 'DELETE', path: '/api/applications/:applicationId/roles/:roleId', scope: 'write:applications', tag, summary: 'Remove a role from an application',
    params: appIdParams.extend({ roleId: id }), status: 204, errors: [404, 422],
    handler: async ({ params, actor }) => (await apps.removeApplicationRole(actor, params.applicationId, params.roleId), {}),
  }),
  secrets: route({
    method: 'GET', path: '/api/applications/:id/secrets', scope: 'read:applications', tag, summary: "List an application's secrets (never their values)",
    params: appParams, response: z.array(secretListItem), status: 200, errors: [404],
    handler: async ({ params, actor }) => ({ body: await apps.listSecrets(params.id, actor) }),
  }),
  addSecret: route({
    method: 'POST', path: '/api/applications/:id/secrets', scope: 'write:applications', tag, summary: 'Add a named secret (the value is returned once)',
    params: appParams, body: secretCreate, response: secretCreatedResponse, status: 201, errors: [400, 404, 422],
    handler: async ({ params, body, actor }) => ({ status: 201, body: await apps.addSecret(actor, params.id, body) }),
  }),
  renameSecret: route({
    method: 'PATCH', path: '/api/applications/:id/secrets/:name', scope: 'write:applications', tag, summary: 'Rename a secret',
    // REST-only: the body's `name` and the path's `:name` cannot share one flat console input.
    console: false,
    params: appParams.extend({ name: z.string().min(1).max(256) }), body: secretPatch, response: secretListItem, status: 200, errors: [400, 404, 422],
    handler: async ({ params, body, actor }) => ({ body: await apps.renameSecret(actor, params.id, params.name, body.name) }),
  }),
  deleteSecret: route({
    method: 'DELETE', path: '/api/applications/:id/secrets/:name', scope: 'write:applications', tag, summary: 'Revoke a secret by name',
    params: appParams.extend({ name: z.string().min(1).max(256) }), status: 204, errors: [404],
    handler: async ({ params, actor }) => (await apps.deleteSecret(actor, params.id, params.name), {}),
  }),
};
