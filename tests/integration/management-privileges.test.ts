// The privilege rule over HTTP: a caller can never give any principal (app, user, role) more than it holds
// itself. Every mutating route of the route table must be classified (management-privileges.cases.ts);
// each one that can give something is refused for a caller holding fewer scopes, and changes nothing.
// Callers holding what they give, and removals, still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { MANAGEMENT_RESOURCE_ID, type ManagementScope } from '../../server/services/management-resource.ts';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { CLASSIFICATION, type Api, type Fixture } from './management-privileges.cases.ts';

let sigil: Sigil;
let admin: Api;
let scopeIds: Map<string, string>;

beforeAll(async () => {
  sigil = await startSigil();
  admin = await managementClient(sigil);
  const scopes = await admin.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`);
  scopeIds = new Map(scopes.body.map((s: { name: string; id: string }) => [s.name, s.id]));
});
afterAll(async () => sigil?.stop());

const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const scope = (name: ManagementScope) => scopeIds.get(name)!;

async function role(type: 'User' | 'MachineToMachine', scopes: ManagementScope[]): Promise<string> {
  const res = await admin.post('/api/roles', { name: unique('role'), description: '', type, scopeIds: scopes.map(scope) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id;
}

/** An M2M app holding exactly `scopes` of the Management API, and a client with a token for all of them. */
async function caller(scopes: ManagementScope[]): Promise<{ id: string; secret: string; api: Api }> {
  const app = await admin.post('/api/applications', { name: unique('caller'), type: 'MachineToMachine' });
  expect((await admin.post(`/api/applications/${app.body.id}/roles`, { roleIds: [await role('MachineToMachine', scopes)] })).status).toBe(201);
  const credentials = { id: app.body.id as string, secret: app.body.secret as string };
  return { ...credentials, api: await managementClient(sigil, scopes.join(' '), credentials) };
}

function fixture(callerId: string): Fixture {
  return {
    admin, scope, callerId, role,
    user: async (scopes) => {
      const user = await admin.post('/api/users', { username: unique('user').replace('-', '_') });
      expect((await admin.post(`/api/users/${user.body.id}/roles`, { roleIds: [await role('User', scopes)] })).status).toBe(201);
      return user.body.id;
    },
    subjectTokens: async (userId) => {
      const db = openDb(sigil.databaseUrl);
      try {
        return await db.subjectToken.count({ where: { userId } });
      } finally {
        await db.$disconnect();
      }
    },
  };
}

const mutating = ROUTES.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('the privilege rule', () => {
  it('classifies every mutating route of the route table, and nothing else', () => {
    expect(mutating.filter((key) => !(key in CLASSIFICATION)), 'routes without a classification').toEqual([]);
    expect(Object.keys(CLASSIFICATION).filter((key) => !mutating.includes(key)), 'classified routes that do not exist').toEqual([]);
    for (const [key, c] of Object.entries(CLASSIFICATION)) {
      if ('grantsNothing' in c) expect(c.grantsNothing.length, key).toBeGreaterThan(5);
    }
  });

  for (const [key, c] of Object.entries(CLASSIFICATION)) {
    if (!('refusal' in c)) continue;
    it(`refuses ${key} for a caller holding only ${c.refusal.caller.join(' ')}`, async () => {
      const me = await caller(c.refusal.caller);
      const attempt = await c.refusal.arrange(fixture(me.id));
      expect(`${attempt.method} ${ROUTES.find((r) => r.method === attempt.method && new RegExp(`^${r.path.replace(/:\w+/g, '[^/]+')}$`).test(attempt.path))?.path}`).toBe(key);
      const res = await me.api.call(attempt.method, attempt.path, attempt.body);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.code).toBe('auth.privilege_escalation');
      expect(res.body.message).toContain(`Management API scope \`${attempt.missing}\``);
      await attempt.unchanged();
    });
  }
});

describe('what the rule still allows', () => {
  it('a caller gives what it holds: a role, a scope, a secret, a subject token', async () => {
    const me = await caller(['write:roles', 'write:applications', 'read:users', 'create:subject-tokens']);
    const target = await admin.post('/api/applications', { name: unique('target'), type: 'MachineToMachine' });
    const readUsers = await role('MachineToMachine', ['read:users']);
    expect((await me.api.post(`/api/roles/${readUsers}/applications`, { applicationIds: [target.body.id] })).status).toBe(201);
    const secret = await me.api.post(`/api/applications/${target.body.id}/secrets`, { name: 'ok' });
    expect(secret.status).toBe(201);
    const empty = await role('MachineToMachine', []);
    expect((await me.api.post(`/api/roles/${empty}/scopes`, { scopeIds: [scope('read:users')] })).status).toBe(201);
    const created = await me.api.post('/api/roles', { name: unique('mine'), description: '', type: 'MachineToMachine', scopeIds: [scope('write:roles')] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const user = await admin.post('/api/users', { username: unique('user').replace('-', '_') });
    await admin.post(`/api/users/${user.body.id}/roles`, { roleIds: [await role('User', ['read:users'])] });
    expect((await me.api.post('/api/subject-tokens', { userId: user.body.id })).status).toBe(201);
    // The new secret works, and its tokens carry only what the target holds.
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all read:users' }, { id: target.body.id, secret: secret.body.value });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('read:users');
  });

  it('a lesser caller may take away: remove the built-in role from an app holding `all`', async () => {
    const me = await caller(['write:roles']);
    const target = await admin.post('/api/applications', { name: unique('admin-like'), type: 'MachineToMachine' });
    expect((await admin.post(`/api/applications/${target.body.id}/roles`, { roleIds: ['management-api-access'] })).status).toBe(201);
    expect((await me.api.del(`/api/roles/management-api-access/applications/${target.body.id}`)).status).toBe(204);
  });

  it('`all` implies every scope: a caller with `all` gives `all`', async () => {
    const me = await caller(['all']);
    const target = await admin.post('/api/applications', { name: unique('target'), type: 'MachineToMachine' });
    expect((await me.api.post(`/api/applications/${target.body.id}/roles`, { roleIds: ['management-api-access'] })).status).toBe(201);
  });
});
