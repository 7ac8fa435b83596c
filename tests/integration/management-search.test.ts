// `search` is a literal, case-insensitive substring on every list but the user list (Logto's search syntax),
// on SQLite and PostgreSQL alike: `%`, `_` and `\` match themselves, never act as LIKE wildcards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;
const tag = Math.random().toString(36).slice(2, 7);
// Each list gets one item per name; a wildcard search must find only the item that holds the character.
const NAMES = { percent: `p${tag}%x`, underscore: `u${tag}_x`, backslash: `b${tag}\\x`, plain: `n${tag}yx` };

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const names = (rows: Array<{ name: string | null }>) => rows.map((r) => r.name).filter((n): n is string => n?.includes(tag) ?? false).sort();
const q = (v: string) => encodeURIComponent(v);

/** For each wildcard character, the names a search for it must return exactly. */
const EXPECTED: Array<[string, string[]]> = [
  ['%', [NAMES.percent]],
  ['_', [NAMES.underscore]],
  ['\\', [NAMES.backslash]],
  [`${tag}%`, [NAMES.percent]],
  [`${tag.toUpperCase()}_X`, [NAMES.underscore]],
];

describe('literal search', () => {
  it('roles, applications, resources and their scopes, role scopes', async () => {
    const resource = await api.post('/api/resources', { name: `res ${tag}`, indicator: `https://search.example/${tag}` });
    const scopeIds: string[] = [];
    for (const [i, name] of Object.values(NAMES).entries()) {
      expect((await api.post('/api/roles', { name, description: '' })).status).toBe(200);
      expect((await api.post('/api/applications', { name, type: 'MachineToMachine' })).status).toBe(200);
      expect((await api.post('/api/resources', { name, indicator: `https://search.example/${tag}/${i}` })).status).toBe(201);
      const scope = await api.post(`/api/resources/${resource.body.id}/scopes`, { name: name.replace(/\\/g, '/'), description: name });
      expect(scope.status).toBe(201);
      scopeIds.push(scope.body.id);
    }
    const role = await api.post('/api/roles', { name: `holder ${tag}`, description: '', scopeIds });
    for (const [search, expected] of EXPECTED) {
      expect(names((await api.get(`/api/roles?search=${q(search)}`)).body), `roles ${search}`).toEqual(expected);
      expect(names((await api.get(`/api/applications?search=${q(search)}`)).body), `applications ${search}`).toEqual(expected);
      expect(names((await api.get(`/api/resources?search=${q(search)}`)).body), `resources ${search}`).toEqual(expected);
      // Scope names cannot hold `\`; their descriptions carry the original names.
      const scopes = (await api.get(`/api/resources/${resource.body.id}/scopes?search=${q(search)}`)).body as Array<{ description: string }>;
      expect(names(scopes.map((s) => ({ name: s.description }))), `scopes ${search}`).toEqual(expected);
      const roleScopes = (await api.get(`/api/roles/${role.body.id}/scopes?search=${q(search)}`)).body as Array<{ description: string }>;
      expect(names(roleScopes.map((s) => ({ name: s.description }))), `role scopes ${search}`).toEqual(expected);
    }
  });

  it('users and a user\'s roles', async () => {
    const user = await api.post('/api/users', { username: `searcher_${tag}` });
    const roleIds: string[] = [];
    for (const name of Object.values(NAMES)) {
      expect((await api.post('/api/users', { name })).status).toBe(200);
      const role = await api.post('/api/roles', { name: `user role ${name}`, description: name, type: 'User' });
      roleIds.push(role.body.id);
    }
    expect((await api.post(`/api/users/${user.body.id}/roles`, { roleIds })).status).toBe(201);
    // The user list speaks Logto's search syntax (a `%` or `_` in it is a LIKE wildcard, as Logto's own suite
    // expects; see management-users-logto.test.ts), so only the backslash is literal there. A user's roles
    // are searched literally like every other list.
    expect(names((await api.get(`/api/users?search=${q('\\')}`)).body), 'users \\').toEqual([NAMES.backslash]);
    for (const [search, expected] of EXPECTED.filter(([s]) => !s.endsWith(`${tag}%`))) {
      const roles = (await api.get(`/api/users/${user.body.id}/roles?search=${q(search)}`)).body as Array<{ description: string }>;
      expect(names(roles.map((r) => ({ name: r.description }))), `user roles ${search}`).toEqual(expected);
    }
    // Logto's `%term%` still means "contains term".
    expect(names((await api.get(`/api/users?search=${q(`%${tag}y%`)}`)).body)).toEqual([NAMES.plain]);
  });
});
