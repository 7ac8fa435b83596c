import { z } from 'zod';
import { id, jsonObject, pagination, searchQuery } from '../../schemas/common.ts';
import { roleIdsBody, roleResponse } from '../../schemas/roles.ts';
import {
  customDataBody, isSuspendedBody, passwordBody, passwordVerifyBody, userCreate, userGetQuery, userPatch, userProfile, userResponse,
  userSearchQuery, userSearchQueryValue,
} from '../../schemas/users.ts';
import type { Actor } from '../../services/actor.ts';
import * as users from '../../services/users.ts';
import { forbidden } from '../../services/errors.ts';
import { route } from '../route.ts';

const tag = 'Users';
const params = z.object({ userId: id });
const yes = (v: string | undefined) => v !== undefined && ['true', '1', 'yes', 'y'].includes(v.toLowerCase());
/** Password hashes are for callers holding `all` (console administrators included). */
function passwordHashOption(actor: Actor, value: string | undefined): boolean {
  if (!yes(value)) return false;
  if (actor.type === 'application' && !actor.scopes?.has('all')) throw forbidden('auth.forbidden', 'includePasswordHash needs the `all` scope.');
  return true;
}

export const userOps = {
  list: route({
    method: 'GET', path: '/api/users', scope: 'read:users', tag, summary: "List users (Logto's search syntax over id, username, email, phone and name)",
    query: pagination.extend(userSearchQuery.shape).catchall(userSearchQueryValue), response: z.array(userResponse), status: 200, errors: [400, 403], paginated: true,
    handler: async ({ query, actor }) => {
      const page = await users.searchUsers(query, query, { includePasswordHash: passwordHashOption(actor, query.includePasswordHash) });
      return { body: page.items, total: page.total };
    },
  }),
  create: route({
    method: 'POST', path: '/api/users', scope: 'write:users', tag, summary: 'Create a user',
    body: userCreate, response: userResponse, status: 200, errors: [400, 422],
    handler: async ({ body, actor }) => ({ body: await users.createUser(actor, body) }),
  }),
  get: route({
    method: 'GET', path: '/api/users/:userId', scope: 'read:users', tag, summary: 'Get a user',
    params, query: userGetQuery, response: userResponse, status: 200, errors: [403, 404],
    handler: async ({ params: p, query, actor }) => ({
      body: await users.getUser(p.userId, {
        includeSsoIdentities: yes(query.includeSsoIdentities), includePasswordHash: passwordHashOption(actor, query.includePasswordHash),
      }),
    }),
  }),
  update: route({
    method: 'PATCH', path: '/api/users/:userId', scope: 'write:users', tag, summary: 'Update a user (null or "" clears an identifier; customData and profile are replaced)',
    params, body: userPatch, response: userResponse, status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await users.updateUser(actor, p.userId, body) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/users/:userId', scope: 'write:users', tag, summary: 'Delete a user',
    params, status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await users.deleteUser(actor, p.userId), {}),
  }),
  customData: route({
    method: 'GET', path: '/api/users/:userId/custom-data', scope: 'read:users', tag, summary: "Get a user's custom data",
    params, response: jsonObject, status: 200, errors: [404],
    handler: async ({ params: p }) => ({ body: await users.getCustomData(p.userId) }),
  }),
  updateCustomData: route({
    method: 'PATCH', path: '/api/users/:userId/custom-data', scope: 'write:users', tag, summary: "Merge into a user's custom data (returns the result)",
    params, body: customDataBody, response: jsonObject, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await users.updateCustomData(actor, p.userId, body.customData) }),
  }),
  updateProfile: route({
    method: 'PATCH', path: '/api/users/:userId/profile', scope: 'write:users', tag, summary: "Merge into a user's standard profile claims (returns the result)",
    params, body: z.object({ profile: userProfile }).strict(), response: userProfile, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await users.updateProfile(actor, p.userId, body.profile) }),
  }),
  setSuspended: route({
    method: 'PATCH', path: '/api/users/:userId/is-suspended', scope: 'write:users', tag, summary: 'Suspend or reinstate a user (suspending revokes their opaque tokens)',
    params, body: isSuspendedBody, response: userResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await users.setSuspended(actor, p.userId, body.isSuspended) }),
  }),
  setPassword: route({
    method: 'PATCH', path: '/api/users/:userId/password', scope: 'write:users', tag, summary: "Set a user's password (stored as its Argon2i hash; never returned)",
    params, body: passwordBody, response: userResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body, actor }) => ({ body: await users.setPassword(actor, p.userId, body.password) }),
  }),
  setPasswordExpired: route({
    method: 'PATCH', path: '/api/users/:userId/password/expiration', scope: 'write:users', tag, summary: "Mark a user's password expired (Logto; 400 while the expiration policy is off, which it always is in Sigil)",
    params, body: z.object({ isExpired: z.boolean() }), response: userResponse, status: 200, errors: [400, 404],
    handler: async ({ params: p, body }) => ({ body: await users.setPasswordExpired(p.userId, body.isExpired) }),
  }),
  verifyPassword: route({
    method: 'POST', path: '/api/users/:userId/password/verify', scope: 'write:users', tag, summary: "Check a user's password (204 when correct, 422 when not)",
    params, body: passwordVerifyBody, status: 204, errors: [400, 404, 422],
    handler: async ({ params: p, body }) => (await users.verifyPassword(p.userId, body.password), {}),
  }),
  roles: route({
    method: 'GET', path: '/api/users/:userId/roles', scope: 'read:users', tag, summary: "List a user's roles",
    params, query: pagination.extend(searchQuery.shape), response: z.array(roleResponse), status: 200, errors: [404], paginated: true,
    handler: async ({ params: p, query }) => {
      const page = await users.listUserRoles(p.userId, query, query);
      return { body: page.items, total: page.total };
    },
  }),
  assignRoles: route({
    method: 'POST', path: '/api/users/:userId/roles', scope: 'write:users', tag, summary: 'Assign User roles to a user (roles already held are skipped)',
    params, body: roleIdsBody, response: z.object({ roleIds: z.array(id), addedRoleIds: z.array(id) }), status: 201, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ status: 201, body: await users.assignUserRoles(actor, p.userId, body.roleIds) }),
  }),
  replaceRoles: route({
    method: 'PUT', path: '/api/users/:userId/roles', scope: 'write:users', tag, summary: "Replace a user's roles (an empty list removes them all)",
    params, body: z.object({ roleIds: z.array(id).max(1000) }), response: z.object({ roleIds: z.array(id) }), status: 200, errors: [400, 404, 422],
    handler: async ({ params: p, body, actor }) => ({ body: await users.replaceUserRoles(actor, p.userId, body.roleIds) }),
  }),
  removeRole: route({
    method: 'DELETE', path: '/api/users/:userId/roles/:roleId', scope: 'write:users', tag, summary: 'Remove a role from a user',
    params: params.extend({ roleId: id }), status: 204, errors: [404],
    handler: async ({ params: p, actor }) => (await users.removeUserRole(actor, p.userId, p.roleId), {}),
  }),
};
