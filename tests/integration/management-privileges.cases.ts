// Every mutating Management API operation, keyed by `METHOD path`, classified by the privilege rule (a
// caller can never give any principal more than it holds itself):
// - `refusal`: it can give a principal (app, user, role) a Management API scope, or a way to act as one;
//   the case sets up a target holding a scope the caller lacks, and the test proves the call is refused
//   with 403 and changes nothing;
// - `grantsNothing`: why it cannot.
// A route missing here fails the test; so does an entry for a route that no longer exists.
import type { ManagementScope } from '../../server/services/management-resource.ts';
import type { managementClient } from '../helpers/sigil.ts';

export type Api = Awaited<ReturnType<typeof managementClient>>;
export type Fixture = {
  /** The administrator's client (`all`). */
  admin: Api;
  /** Management API scope name -> scope id. */
  scope: (name: ManagementScope) => string;
  /** The calling app (its id), holding exactly the case's `caller` scopes. */
  callerId: string;
  /** A role of `type` holding these Management API scopes (created by the administrator). */
  role: (type: 'User' | 'MachineToMachine', scopes: ManagementScope[]) => Promise<string>;
  /** A user holding a User role with these Management API scopes. */
  user: (scopes: ManagementScope[]) => Promise<string>;
  /** Subject tokens stored for a user (read from the database). */
  subjectTokens: (userId: string) => Promise<number>;
};
export type Attempt = { method: string; path: string; body?: unknown; missing: ManagementScope; unchanged: () => Promise<void> };
export type Refusal = { caller: ManagementScope[]; arrange: (f: Fixture) => Promise<Attempt> };
export type Classification = { refusal: Refusal } | { grantsNothing: string };

const expectEqual = (actual: unknown, expected: unknown, what: string) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};
const roleIdsOfApp = async (f: Fixture, id: string) => (await f.admin.get(`/api/applications/${id}/roles`)).body.map((r: { id: string }) => r.id);
const roleIdsOfUser = async (f: Fixture, id: string) => (await f.admin.get(`/api/users/${id}/roles`)).body.map((r: { id: string }) => r.id);
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

export const CLASSIFICATION: Record<string, Classification> = {
  // ---- Applications
  'POST /api/applications': { grantsNothing: 'a new application holds no roles' },
  // `isAdmin: true` gives the built-in Management API role (Logto's field).
  'PATCH /api/applications/:id': {
    refusal: {
      caller: ['write:applications'],
      arrange: async (f) => {
        const app = await f.admin.post('/api/applications', { name: 'target', type: 'MachineToMachine' });
        return {
          method: 'PATCH', path: `/api/applications/${app.body.id}`, body: { isAdmin: true, name: 'renamed' }, missing: 'all',
          unchanged: async () => {
            expectEqual(await roleIdsOfApp(f, app.body.id), [], 'roles of the target app');
            expectEqual((await f.admin.get(`/api/applications/${app.body.id}`)).body.name, 'target', 'name of the target app');
          },
        };
      },
    },
  },
  'PATCH /api/applications/:id/custom-data': { grantsNothing: 'customData is never read by Sigil' },
  'PUT /api/applications/:applicationId/roles': {
    refusal: {
      caller: ['write:applications'],
      arrange: async (f) => {
        const app = await f.admin.post('/api/applications', { name: 'target', type: 'MachineToMachine' });
        return {
          method: 'PUT', path: `/api/applications/${app.body.id}/roles`, body: { roleIds: ['management-api-access'] }, missing: 'all',
          unchanged: async () => expectEqual(await roleIdsOfApp(f, app.body.id), [], 'roles of the target app'),
        };
      },
    },
  },
  'DELETE /api/applications/:id': { grantsNothing: 'removes a principal' },
  'POST /api/applications/:applicationId/roles': {
    refusal: {
      caller: ['write:applications'],
      arrange: async (f) => {
        const app = await f.admin.post('/api/applications', { name: 'target', type: 'MachineToMachine' });
        return {
          method: 'POST', path: `/api/applications/${app.body.id}/roles`, body: { roleIds: ['management-api-access'] }, missing: 'all',
          unchanged: async () => expectEqual(await roleIdsOfApp(f, app.body.id), [], 'roles of the target app'),
        };
      },
    },
  },
  'DELETE /api/applications/:applicationId/roles/:roleId': { grantsNothing: 'removes a role' },
  'POST /api/applications/:id/secrets': {
    refusal: {
      caller: ['write:applications'],
      arrange: async (f) => ({
        method: 'POST', path: '/api/applications/bootstrap-admin/secrets', body: { name: 'stolen' }, missing: 'all',
        unchanged: async () => {
          const names = (await f.admin.get('/api/applications/bootstrap-admin/secrets')).body.map((s: { name: string }) => s.name);
          expectEqual(names.includes('stolen'), false, 'a secret named stolen');
        },
      }),
    },
  },
  'DELETE /api/applications/:id/secrets/:name': { grantsNothing: 'removes a credential' },
  'PATCH /api/applications/:id/secrets/:name': { grantsNothing: 'renames a credential; its value never changes and is never returned in hashed mode' },

  // ---- Resources and scopes: the built-in Management API resource refuses every change (422)
  'POST /api/resources': { grantsNothing: 'a new resource is held by no one and is never the Management API (unique indicator)' },
  'PATCH /api/resources/:id': { grantsNothing: 'the Management API resource cannot be changed; other resources grant no Management API scope' },
  'PATCH /api/resources/:id/is-default': { grantsNothing: 'the Management API resource cannot be the default; other resources grant no Management API scope' },
  'DELETE /api/resources/:id': { grantsNothing: 'removes a resource; the Management API resource cannot be deleted' },
  'POST /api/resources/:resourceId/scopes': { grantsNothing: 'the Management API scopes are fixed; a new scope is held by no one' },
  'PATCH /api/resources/:resourceId/scopes/:scopeId': { grantsNothing: 'the Management API scopes are fixed' },
  'DELETE /api/resources/:resourceId/scopes/:scopeId': { grantsNothing: 'removes a scope' },

  // ---- Roles
  'POST /api/roles': {
    refusal: {
      caller: ['write:roles'],
      arrange: async (f) => {
        const name = unique('all-in-one');
        return {
          method: 'POST', path: '/api/roles', body: { name, description: '', type: 'MachineToMachine', scopeIds: [f.scope('all')] }, missing: 'all',
          unchanged: async () => expectEqual((await f.admin.get(`/api/roles?search=${name}`)).body.length, 0, 'roles named like the refused one'),
        };
      },
    },
  },
  'PATCH /api/roles/:id': {
    refusal: {
      caller: ['write:roles'],
      arrange: async (f) => {
        const id = await f.role('User', ['read:users']);
        return {
          method: 'PATCH', path: `/api/roles/${id}`, body: { isDefault: true }, missing: 'read:users',
          unchanged: async () => expectEqual((await f.admin.get(`/api/roles/${id}`)).body.isDefault, false, 'isDefault'),
        };
      },
    },
  },
  'DELETE /api/roles/:id': { grantsNothing: 'removes a role; the built-in one cannot be deleted' },
  'POST /api/roles/:id/scopes': {
    refusal: {
      caller: ['write:roles'],
      arrange: async (f) => {
        const id = await f.role('MachineToMachine', []);
        return {
          method: 'POST', path: `/api/roles/${id}/scopes`, body: { scopeIds: [f.scope('write:users')] }, missing: 'write:users',
          unchanged: async () => expectEqual((await f.admin.get(`/api/roles/${id}/scopes`)).body, [], 'scopes of the role'),
        };
      },
    },
  },
  'DELETE /api/roles/:id/scopes/:scopeId': { grantsNothing: 'removes a scope from a role' },
  'POST /api/roles/:id/applications': {
    refusal: {
      caller: ['write:roles'],
      arrange: async (f) => ({
        // The attack: a write:roles token gives its own app the built-in role.
        method: 'POST', path: '/api/roles/management-api-access/applications', body: { applicationIds: [f.callerId] }, missing: 'all',
        unchanged: async () => expectEqual((await roleIdsOfApp(f, f.callerId)).includes('management-api-access'), false, 'caller holds the built-in role'),
      }),
    },
  },
  'DELETE /api/roles/:id/applications/:applicationId': { grantsNothing: 'removes a role from an application' },
  'POST /api/roles/:id/users': {
    refusal: {
      caller: ['write:roles'],
      arrange: async (f) => {
        const roleId = await f.role('User', ['read:logs']);
        const user = await f.admin.post('/api/users', { username: unique('user').replace('-', '_') });
        return {
          method: 'POST', path: `/api/roles/${roleId}/users`, body: { userIds: [user.body.id] }, missing: 'read:logs',
          unchanged: async () => expectEqual(await roleIdsOfUser(f, user.body.id), [], 'roles of the user'),
        };
      },
    },
  },
  'DELETE /api/roles/:id/users/:userId': { grantsNothing: 'removes a role from a user' },

  // ---- Users
  'POST /api/users': { grantsNothing: 'a new user holds no roles' },
  'PATCH /api/users/:userId': { grantsNothing: 'identifiers and profile data' },
  'DELETE /api/users/:userId': { grantsNothing: 'removes a principal' },
  'PATCH /api/users/:userId/custom-data': { grantsNothing: 'profile data' },
  'PATCH /api/users/:userId/profile': { grantsNothing: 'profile data' },
  'PATCH /api/users/:userId/is-suspended': {
    refusal: {
      caller: ['write:users'],
      arrange: async (f) => {
        const userId = await f.user(['read:logs']);
        await f.admin.patch(`/api/users/${userId}/is-suspended`, { isSuspended: true });
        return {
          method: 'PATCH', path: `/api/users/${userId}/is-suspended`, body: { isSuspended: false }, missing: 'read:logs',
          unchanged: async () => expectEqual((await f.admin.get(`/api/users/${userId}`)).body.isSuspended, true, 'isSuspended'),
        };
      },
    },
  },
  'PATCH /api/users/:userId/password': {
    refusal: {
      caller: ['write:users'],
      arrange: async (f) => {
        const userId = await f.user(['read:logs']);
        return {
          method: 'PATCH', path: `/api/users/${userId}/password`, body: { password: 'a password 12345' }, missing: 'read:logs',
          unchanged: async () => expectEqual((await f.admin.get(`/api/users/${userId}`)).body.hasPassword, false, 'hasPassword'),
        };
      },
    },
  },
  'POST /api/users/:userId/roles': {
    refusal: {
      caller: ['write:users'],
      arrange: async (f) => {
        const roleId = await f.role('User', ['read:roles']);
        const user = await f.admin.post('/api/users', { username: unique('user').replace('-', '_') });
        return {
          method: 'POST', path: `/api/users/${user.body.id}/roles`, body: { roleIds: [roleId] }, missing: 'read:roles',
          unchanged: async () => expectEqual(await roleIdsOfUser(f, user.body.id), [], 'roles of the user'),
        };
      },
    },
  },
  'DELETE /api/users/:userId/roles/:roleId': { grantsNothing: 'removes a role from a user' },
  'PUT /api/users/:userId/roles': {
    refusal: {
      caller: ['write:users'],
      arrange: async (f) => {
        const roleId = await f.role('User', ['read:roles']);
        const user = await f.admin.post('/api/users', { username: unique('user').replace('-', '_') });
        return {
          method: 'PUT', path: `/api/users/${user.body.id}/roles`, body: { roleIds: [roleId] }, missing: 'read:roles',
          unchanged: async () => expectEqual(await roleIdsOfUser(f, user.body.id), [], 'roles of the user'),
        };
      },
    },
  },
  'POST /api/connectors': { grantsNothing: 'always refused: Sigil has no connector factories' },
  'POST /api/users/:userId/password/verify': { grantsNothing: 'checks a password; changes nothing' },
  'PATCH /api/users/:userId/password/expiration': { grantsNothing: 'marks a password expired (refused while the policy is off, always in Sigil); nobody gains access' },
  'PATCH /api/sign-in-exp': { grantsNothing: 'sign-in mode, password and username policies; no principal gains a scope' },
  'POST /api/configs/oidc/cookie-keys/rotate': { grantsNothing: 'rotates the session cookie signing keys' },
  'DELETE /api/configs/oidc/cookie-keys/:keyId': { grantsNothing: 'deletes a session cookie signing key' },

  // ---- Impersonation
  'POST /api/subject-tokens': {
    refusal: {
      caller: ['create:subject-tokens'],
      arrange: async (f) => {
        const userId = await f.user(['write:roles']);
        return {
          method: 'POST', path: '/api/subject-tokens', body: { userId }, missing: 'write:roles',
          unchanged: async () => expectEqual(await f.subjectTokens(userId), 0, 'subject tokens of the user'),
        };
      },
    },
  },

  // ---- Webhooks, claims scripts, signing keys: they grant no one anything
  'POST /api/hooks': { grantsNothing: 'webhooks send events out; they grant no access' },
  'PATCH /api/hooks/:id': { grantsNothing: 'webhooks send events out; they grant no access' },
  'DELETE /api/hooks/:id': { grantsNothing: 'removes a webhook' },
  'PATCH /api/hooks/:id/signing-key': { grantsNothing: 'the key signs payloads; it authenticates nothing here' },
  'POST /api/hooks/:id/test': { grantsNothing: 'sends a test payload' },
  'POST /api/hooks/:id/deliveries/:deliveryId/redeliver': { grantsNothing: 'sends a stored payload again' },
  'PUT /api/configs/jwt-customizer/:tokenTypePath': { grantsNothing: 'scripts never run for Management API tokens and cannot change reserved claims (scope)' },
  'PATCH /api/configs/jwt-customizer/:tokenTypePath': { grantsNothing: 'scripts never run for Management API tokens and cannot change reserved claims (scope)' },
  'DELETE /api/configs/jwt-customizer/:tokenTypePath': { grantsNothing: 'removes a script' },
  'POST /api/configs/jwt-customizer/test': { grantsNothing: 'runs a script on sample data; issues nothing' },
  'POST /api/configs/oidc/private-keys/rotate': { grantsNothing: 'changes which key signs; grants nothing' },
  'DELETE /api/configs/oidc/private-keys/:keyId': { grantsNothing: 'removes a retired key' },

  // ---- Organizations: organization roles never carry Management API scopes
  'POST /api/organizations': { grantsNothing: 'an organization is no principal and holds nothing' },
  'PATCH /api/organizations/:id': { grantsNothing: 'name, description, custom data and branding' },
  'DELETE /api/organizations/:id': { grantsNothing: 'removes an organization and its memberships' },
  'POST /api/organizations/:id/users': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'PUT /api/organizations/:id/users': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'DELETE /api/organizations/:id/users/:userId': { grantsNothing: 'removes a membership' },
  'POST /api/organizations/:id/users/:userId/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'PUT /api/organizations/:id/users/:userId/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'DELETE /api/organizations/:id/users/:userId/roles/:organizationRoleId': { grantsNothing: 'removes an organization role from a member' },
  'POST /api/organizations/:id/users/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'POST /api/organizations/:id/applications': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'PUT /api/organizations/:id/applications': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'DELETE /api/organizations/:id/applications/:applicationId': { grantsNothing: 'removes a membership' },
  'POST /api/organizations/:id/applications/:applicationId/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'PUT /api/organizations/:id/applications/:applicationId/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'DELETE /api/organizations/:id/applications/:applicationId/roles/:organizationRoleId': { grantsNothing: 'removes an organization role from a member' },
  'POST /api/organizations/:id/applications/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'POST /api/organization-scopes': { grantsNothing: 'organization scopes are no Management API scopes' },
  'PATCH /api/organization-scopes/:id': { grantsNothing: 'organization scopes are no Management API scopes' },
  'DELETE /api/organization-scopes/:id': { grantsNothing: 'removes an organization scope' },
  'POST /api/organization-roles': { grantsNothing: 'Management API scopes are refused as resource scopes (422, tested in organizations-template.test.ts)' },
  'PATCH /api/organization-roles/:id': { grantsNothing: 'name, description and type' },
  'DELETE /api/organization-roles/:id': { grantsNothing: 'removes an organization role' },
  'POST /api/organization-roles/:id/scopes': { grantsNothing: 'organization scopes are no Management API scopes' },
  'PUT /api/organization-roles/:id/scopes': { grantsNothing: 'organization scopes are no Management API scopes' },
  'DELETE /api/organization-roles/:id/scopes/:scopeId': { grantsNothing: 'removes a scope from an organization role' },
  'POST /api/organization-roles/:id/resource-scopes': { grantsNothing: 'Management API scopes are refused (422, tested in organizations-template.test.ts)' },
  'PUT /api/organization-roles/:id/resource-scopes': { grantsNothing: 'Management API scopes are refused (422, tested in organizations-template.test.ts)' },
  'DELETE /api/organization-roles/:id/resource-scopes/:scopeId': { grantsNothing: 'removes a scope from an organization role' },
  'POST /api/organizations/:id/jit/email-domains': { grantsNothing: 'which email domains join an organization; organization roles carry no Management API scope' },
  'PUT /api/organizations/:id/jit/email-domains': { grantsNothing: 'which email domains join an organization; organization roles carry no Management API scope' },
  'DELETE /api/organizations/:id/jit/email-domains/:emailDomain': { grantsNothing: 'removes a JIT email domain' },
  'POST /api/organizations/:id/jit/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'PUT /api/organizations/:id/jit/roles': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'DELETE /api/organizations/:id/jit/roles/:organizationRoleId': { grantsNothing: 'removes a JIT role' },
  'POST /api/organization-invitations': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
  'POST /api/organization-invitations/:id/message': { grantsNothing: 'Sigil sends no mail: always 501' },
  'DELETE /api/organization-invitations/:id': { grantsNothing: 'removes an invitation' },
  'PUT /api/organization-invitations/:id/status': { grantsNothing: 'organization roles carry no Management API scope (an organization role refuses them with 422), so a membership or member role reaches no Management API scope' },
};
