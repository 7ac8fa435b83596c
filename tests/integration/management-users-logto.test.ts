// Users in Logto's wire shapes beyond CRUD: password digest import (every algorithm Logto lists) with the
// upgrade to Sigil's hash at the first correct check, POST /users/:id/password/verify, includePasswordHash
// (only for `all`), E.164 phone normalisation, PUT roles, Logto's advanced search syntax, GET /connectors.
// Bad input: 4xx JSON naming the field, nothing written.
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { argon2d, argon2i, argon2id, argon2Verify, bcrypt } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const tag = () => Math.random().toString(36).slice(2, 8);
const storedHash = async (id: string) => {
  const db = openDb(sigil.databaseUrl);
  try {
    return (await db.user.findUniqueOrThrow({ where: { id } })).passwordHash;
  } finally {
    await db.$disconnect();
  }
};
/** Logto's Argon2i (packages/core/src/workers/tasks/argon2i.ts): 8 MiB, 8 passes, 1 lane, 16-byte salt, 32-byte hash. */
const LOGTO_ARGON2I = /^\$argon2i\$v=19\$m=8192,t=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;
const userCount = async () => Number((await api.get('/api/users?page_size=1')).headers.get('total-number'));

describe('password digest import', () => {
  const hex = (alg: string, s: string) => createHash(alg).update(s).digest('hex');
  const argonOpts = (password: string) => ({ password, salt: randomBytes(16), iterations: 2, memorySize: 1024, parallelism: 1, hashLength: 32, outputType: 'encoded' as const });
  const cases: Array<[string, (pw: string) => Promise<string>]> = [
    ['MD5', async (pw) => hex('md5', pw)],
    ['SHA1', async (pw) => hex('sha1', pw)],
    ['SHA256', async (pw) => hex('sha256', pw)],
    ['Argon2i', (pw) => argon2i(argonOpts(pw))],
    ['Argon2id', (pw) => argon2id(argonOpts(pw))],
    ['Argon2d', (pw) => argon2d(argonOpts(pw))],
    ['Bcrypt', (pw) => bcrypt({ password: pw, salt: randomBytes(16), costFactor: 4, outputType: 'encoded' })],
    ['Legacy', async (pw) => JSON.stringify(['sha512', ['salt-', '@'], hex('sha512', `salt-${pw}`)])],
  ];

  it.each(cases)('%s: shows the digest, refuses a wrong password, accepts the right one and upgrades it to Argon2i', async (algorithm, make) => {
    const passwordDigest = await make('imported pass');
    const created = await api.post('/api/users', { username: `imp_${tag()}`, passwordDigest, passwordAlgorithm: algorithm });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ hasPassword: true });
    expect(created.body).not.toHaveProperty('passwordDigest');
    const id = created.body.id as string;
    expect((await api.get(`/api/users/${id}?includePasswordHash=true`)).body).toMatchObject({ passwordDigest, passwordAlgorithm: algorithm });

    const wrong = await api.post(`/api/users/${id}/password/verify`, { password: 'not it' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ code: 'session.invalid_credentials', message: 'The password is incorrect.', field: 'password' });
    expect(await storedHash(id)).toBe(`import$${algorithm}$${passwordDigest}`);

    const right = await api.post(`/api/users/${id}/password/verify`, { password: 'imported pass' });
    expect(right.status).toBe(204);
    expect(await storedHash(id)).toMatch(LOGTO_ARGON2I);
    expect((await api.get(`/api/users/${id}?includePasswordHash=true`)).body).toMatchObject({ passwordAlgorithm: 'Argon2i' });
    expect((await api.post(`/api/users/${id}/password/verify`, { password: 'imported pass' })).status).toBe(204);
    expect((await api.post(`/api/users/${id}/password/verify`, { password: 'not it' })).status).toBe(422);
  });

  it('a scrypt hash from an earlier Sigil still verifies, is reported as Scrypt, and becomes Argon2i at the first correct check', async () => {
    const { body: user } = await api.post('/api/users', { username: `old_${tag()}` });
    // The format Sigil wrote before Argon2i: scrypt$N$r$p$salt$hash (NFKC-normalised password).
    const salt = randomBytes(16);
    const hash = scryptSync('old pass'.normalize('NFKC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 32768, 8, 1, salt.toString('base64url'), hash.toString('base64url')].join('$');
    const db = openDb(sigil.databaseUrl);
    try {
      await db.user.update({ where: { id: user.id }, data: { passwordHash: old } });
    } finally {
      await db.$disconnect();
    }
    expect((await api.get(`/api/users/${user.id}?includePasswordHash=true`)).body).toMatchObject({ passwordDigest: old, passwordAlgorithm: 'Scrypt' });
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'not it' })).status).toBe(422);
    expect(await storedHash(user.id)).toBe(old);
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'old pass' })).status).toBe(204);
    expect(await storedHash(user.id)).toMatch(LOGTO_ARGON2I);
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'old pass' })).status).toBe(204);
  });

  it.each([
    ['a digest over 256 characters', { passwordDigest: 'a'.repeat(257), passwordAlgorithm: 'MD5' }, 'guard.invalid_input', 'passwordDigest'],
    ['an unknown algorithm', { passwordDigest: 'abc', passwordAlgorithm: 'Scrypt' }, 'guard.invalid_input', 'passwordAlgorithm'],
    ['a digest without algorithm', { passwordDigest: 'abc' }, 'user.password_algorithm_required', 'passwordAlgorithm'],
    ['both password and digest', { password: 'x', passwordDigest: 'abc', passwordAlgorithm: 'MD5' }, 'user.password_and_digest', 'passwordDigest'],
    ['a legacy digest that is not JSON', { passwordDigest: 'sha1:abc', passwordAlgorithm: 'Legacy' }, 'password.invalid_legacy_password_format', 'passwordDigest'],
    ['a legacy digest without @', { passwordDigest: '["sha1", ["a"], "x"]', passwordAlgorithm: 'Legacy' }, 'password.invalid_legacy_password_format', 'passwordDigest'],
    ['a legacy digest with an unknown hash', { passwordDigest: '["nohash", ["@"], "x"]', passwordAlgorithm: 'Legacy' }, 'password.unsupported_legacy_hash_algorithm', 'passwordDigest'],
  ])('refuses %s with 400 naming the field, creating nothing', async (_, body, code, field) => {
    const before = await userCount();
    const res = await api.post('/api/users', { username: `bad_${tag()}`, ...body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code, field });
    expect(await userCount()).toBe(before);
  });

  it('accepts a 256-character digest (it simply matches no password)', async () => {
    const res = await api.post('/api/users', { passwordDigest: 'a'.repeat(256), passwordAlgorithm: 'Bcrypt' });
    expect(res.status).toBe(200);
    expect((await api.post(`/api/users/${res.body.id}/password/verify`, { password: 'a' })).status).toBe(422);
  });
});

describe('password verify and includePasswordHash', () => {
  it('verifies Sigil passwords: 204, 422, 400 for empty, 404 for an unknown user', async () => {
    const { body: user } = await api.post('/api/users', { password: 'new_password' });
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'new_password' })).status).toBe(204);
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'wrong' })).body.code).toBe('session.invalid_credentials');
    const empty = await api.post(`/api/users/${user.id}/password/verify`, { password: '' });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'guard.invalid_input', field: 'password' });
    const none = await api.post('/api/users/nobody/password/verify', { password: 'x' });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('entity.not_found');
    const { body: noPassword } = await api.post('/api/users', {});
    expect((await api.post(`/api/users/${noPassword.id}/password/verify`, { password: 'x' })).status).toBe(422);
  });

  it('returns the hash only when asked, null without a password, and never to a caller without `all`', async () => {
    const { body: user } = await api.post('/api/users', { password: 'pw-1234' });
    expect((await api.get(`/api/users/${user.id}`)).body).not.toHaveProperty('passwordDigest');
    const withHash = (await api.get(`/api/users/${user.id}?includePasswordHash=true`)).body;
    // Logto's own hash, parameters included: the digest moves to Logto (or anything speaking Argon2) as is.
    expect(withHash.passwordDigest).toMatch(LOGTO_ARGON2I);
    expect(withHash.passwordAlgorithm).toBe('Argon2i');
    expect(await argon2Verify({ password: 'pw-1234', hash: withHash.passwordDigest })).toBe(true);
    const { body: bare } = await api.post('/api/users', {});
    expect((await api.get(`/api/users/${bare.id}?includePasswordHash=true`)).body).toMatchObject({ passwordDigest: null, passwordAlgorithm: null, hasPassword: false });
    const listed = await api.get(`/api/users?search.id=${user.id}&mode.id=exact&includePasswordHash=true`);
    expect(listed.body).toEqual([expect.objectContaining({ id: user.id, passwordDigest: withHash.passwordDigest })]);

    const scopes = (await api.get('/api/resources/management-api/scopes?page_size=100')).body as Array<{ id: string; name: string }>;
    const role = await api.post('/api/roles', { name: `user-reader-${tag()}`, description: '', type: 'MachineToMachine', scopeIds: [scopes.find((s) => s.name === 'read:users')!.id] });
    const app = await api.post('/api/applications', { name: 'User reader', type: 'MachineToMachine' });
    await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] });
    const reader = await managementClient(sigil, 'read:users', { id: app.body.id, secret: app.body.secret });
    expect((await reader.get(`/api/users/${user.id}`)).status).toBe(200);
    for (const path of [`/api/users/${user.id}?includePasswordHash=true`, '/api/users?includePasswordHash=true']) {
      const res = await reader.get(path);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('auth.forbidden');
    }
  });

  it('answers includeSsoIdentities with an empty list', async () => {
    const { body: user } = await api.post('/api/users', {});
    expect((await api.get(`/api/users/${user.id}?includeSsoIdentities=true`)).body.ssoIdentities).toEqual([]);
    expect((await api.get(`/api/users/${user.id}`)).body).not.toHaveProperty('ssoIdentities');
  });

  it('answers PATCH with nothing to change with 422 entity.invalid_input', async () => {
    const { body: user } = await api.post('/api/users', {});
    const res = await api.patch(`/api/users/${user.id}`, {});
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('entity.invalid_input');
  });
});

describe('phone numbers (E.164, libphonenumber-js)', () => {
  it('stores the international number without the national 0, on create and update', async () => {
    const created = await api.post('/api/users', { primaryPhone: '610412345678' });
    expect(created.body.primaryPhone).toBe('61412345678');
    expect((await api.post('/api/users', { primaryPhone: '+4407911123456' })).body.primaryPhone).toBe('447911123456');
    const { body: other } = await api.post('/api/users', {});
    const clash = await api.patch(`/api/users/${other.id}`, { primaryPhone: '61412345678' });
    expect(clash.status).toBe(422);
    expect(clash.body).toMatchObject({ code: 'user.phone_already_in_use', field: 'primaryPhone' });
    const dup = await api.post('/api/users', { primaryPhone: '+61 0412345678'.replace(' ', '') });
    expect(dup.body.code).toBe('user.phone_already_in_use');
    expect((await api.patch(`/api/users/${created.body.id}`, { primaryPhone: '610412345678' })).status).toBe(200);
  });

  it.each(['99999', '0', '+999123'])('refuses %s with 422 user.invalid_phone, creating nothing', async (primaryPhone) => {
    const before = await userCount();
    const res = await api.post('/api/users', { primaryPhone });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'user.invalid_phone', field: 'primaryPhone' });
    expect(await userCount()).toBe(before);
  });

  it.each(['12-34', 'abc', '+', '1'.repeat(21)])('refuses %s with 400 naming primaryPhone', async (primaryPhone) => {
    const res = await api.post('/api/users', { primaryPhone });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'guard.invalid_input', field: 'primaryPhone' });
  });
});

describe('roles', () => {
  it('POST answers { roleIds, addedRoleIds }; PUT replaces the whole set and answers { roleIds }', async () => {
    const { body: user } = await api.post('/api/users', {});
    const [a, b, m2m] = await Promise.all([
      api.post('/api/roles', { name: `ra-${tag()}`, description: '' }),
      api.post('/api/roles', { name: `rb-${tag()}`, description: '' }),
      api.post('/api/roles', { name: `rm-${tag()}`, description: '', type: 'MachineToMachine' }),
    ]).then((r) => r.map((x) => x.body.id as string));
    const first = await api.post(`/api/users/${user.id}/roles`, { roleIds: [a] });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ roleIds: [a], addedRoleIds: [a] });
    expect((await api.post(`/api/users/${user.id}/roles`, { roleIds: [a, b] })).body).toEqual({ roleIds: [a, b], addedRoleIds: [b] });

    const put = await api.put(`/api/users/${user.id}/roles`, { roleIds: [b!] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ roleIds: [b] });
    expect((await api.get(`/api/users/${user.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([b]);

    const bad = await api.put(`/api/users/${user.id}/roles`, { roleIds: [a, m2m] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('user.invalid_role_type');
    expect((await api.put(`/api/users/${user.id}/roles`, { roleIds: [a, 'no-such-role'] })).status).toBe(404);
    expect((await api.put(`/api/users/${user.id}/roles`, { roleIds: 'x' })).body).toMatchObject({ code: 'guard.invalid_input', field: 'roleIds' });
    expect((await api.get(`/api/users/${user.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([b]);

    expect((await api.put(`/api/users/${user.id}/roles`, { roleIds: [] })).body).toEqual({ roleIds: [] });
    expect((await api.get(`/api/users/${user.id}/roles`)).body).toEqual([]);
  });
});

describe("Logto's search syntax", () => {
  const p = `s${tag()}_`;
  const names = ['Tom Scott', 'Tom Scott', 'Jerry Swift', 'Jerry Swift Jr', 'jerry swift'];
  let ids: string[] = [];
  beforeAll(async () => {
    ids = [];
    for (const [i, name] of names.entries()) {
      ids.push((await api.post('/api/users', { username: `${p}${i}_${name.replace(/ /g, '_').toLowerCase()}`, name, primaryEmail: `${p}${i}@Example.com` })).body.id);
    }
  });
  const search = async (pairs: string[][]) => {
    const res = await api.get(`/api/users?${new URLSearchParams([...pairs, ['page_size', '100']])}`);
    return { status: res.status, body: res.body, total: Number(res.headers.get('total-number')) };
  };

  it.each([
    ['like on every field (default)', [['search', `%${p}%`]], 5],
    ['like is case-insensitive by default', [['search.username', `${p.toUpperCase()}%`]], 5],
    ['like case-sensitive', [['search.username', `${p.toUpperCase()}%`], ['isCaseSensitive', 'true']], 0],
    ['like treats _ as one character', [['search.username', `${p}_\\_tom%`]], 2],
    ['exact, case-insensitive', [['search.name', 'jerry swift'], ['mode.name', 'exact'], ['search.username', `${p}%`], ['joint', 'and']], 2],
    ['exact, case-sensitive', [['search.name', 'jerry swift'], ['mode.name', 'exact'], ['isCaseSensitive', 'true'], ['search.username', `${p}%`], ['joint', 'and']], 1],
    ['exact with several values', [['search.primaryEmail', `${p}0@example.com`], ['search.primaryEmail', `${p}2@EXAMPLE.com`], ['mode.primaryEmail', 'exact']], 2],
    ['posix', [['search.name', '^Jerry((?!Jr).)*Jr$'], ['mode.name', 'posix'], ['search.username', `${p}%`], ['joint', 'and'], ['isCaseSensitive', 'true']], 1],
    ['posix, case-insensitive', [['search.name', '^jerry'], ['mode.name', 'posix'], ['search.username', `${p}%`], ['joint', 'and']], 3],
    ['similar_to', [['search.username', `${p}(0|1)%`], ['mode.username', 'similar_to'], ['isCaseSensitive', 'true']], 2],
    ['or joins matches', [['search.name', 'Tom Scott'], ['mode.name', 'exact'], ['search.primaryEmail', `${p}4@example.com`], ['mode.primaryEmail', 'exact']], 3],
  ])('%s', async (_, pairs, expected) => {
    const res = await search(pairs);
    expect(res.status).toBe(200);
    expect(res.total).toBe(expected);
    expect(res.body).toHaveLength(expected);
  });

  it('combines an every-field search and a field search with and', async () => {
    expect((await search([['search', `%${p}%`], ['search.name', '%Tom%'], ['joint', 'and']])).total).toBe(2);
  });

  it.each([
    ['several values outside exact mode', [['search.name', 'a'], ['search.name', 'b']], 'search.name', '`exact`'],
    ['an empty value', [['search.name', '']], 'search.name', 'cannot be empty'],
    ['similar_to without case sensitivity', [['search.name', 'a%'], ['mode.name', 'similar_to']], 'search.name', 'case-insensitive'],
    ['an unknown mode', [['search.name', 'a'], ['mode.name', 'similar to']], 'mode.name', 'is not valid'],
    ['an unknown field', [['search.email', 'a']], 'search.email', 'is not valid'],
    ['a nested field', [['search.profile.x', 'a']], 'search.profile.x', 'Only the first level'],
    ['an unknown joint', [['search.name', 'a'], ['joint', 'and1']], 'joint', 'is not valid'],
    ['an invalid regular expression', [['search.name', '(('], ['mode.name', 'posix']], 'search.name', 'regular expression'],
  ])('refuses %s with 400 request.invalid_input naming the parameter', async (_, pairs, field, text) => {
    const res = await search(pairs);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.invalid_input', field });
    expect(res.body.message).toContain(text);
  });

  it('refuses a value over 256 characters with 400 guard.invalid_input', async () => {
    expect((await search([['search.name', 'a'.repeat(300)]])).body).toMatchObject({ code: 'guard.invalid_input', field: 'search.name' });
  });
});

it('GET /connectors answers an empty list', async () => {
  const res = await api.get('/api/connectors');
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
});
