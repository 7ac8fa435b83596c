// Users through the Management API, in Logto's wire shapes: CRUD, validation naming the field, identifier
// collisions, custom data, suspension, passwords, search and pagination, role assignment from both sides,
// and the data events each change records (never with a password in them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/services/crypto.ts';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const tag = () => Math.random().toString(36).slice(2, 8);
const userShape = (fields: Record<string, unknown>) => ({
  id: expect.stringMatching(/^[a-z0-9]{12}$/),
  username: null, primaryEmail: null, primaryPhone: null, name: null, avatar: null,
  customData: {}, profile: {}, identities: {}, lastSignInAt: null,
  createdAt: expect.any(Number), updatedAt: expect.any(Number),
  isSuspended: false, hasPassword: false,
  ...fields,
});

async function withDb<T>(fn: (db: ReturnType<typeof openDb>) => Promise<T>): Promise<T> {
  const db = openDb(sigil.databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

describe('create and read', () => {
  it('creates a user with every Logto field and answers with the user, never the password', async () => {
    const t = tag();
    const before = Date.now();
    const res = await api.post('/api/users', {
      username: `alice_${t}`, primaryEmail: `alice.${t}@example.com`, primaryPhone: `+1555${t.length}000${Math.floor(Math.random() * 1e4)}`,
      name: 'Alice', avatar: 'https://example.com/a.png', password: 'correct horse battery staple',
      customData: { plan: 'pro', nested: { n: 1 } }, profile: { givenName: 'Alice', address: { country: 'JP' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(userShape({
      username: `alice_${t}`, primaryEmail: `alice.${t}@example.com`, primaryPhone: expect.stringMatching(/^1555\d+$/),
      name: 'Alice', avatar: 'https://example.com/a.png', customData: { plan: 'pro', nested: { n: 1 } },
      profile: { givenName: 'Alice', address: { country: 'JP' } }, hasPassword: true,
    }));
    expect(res.body.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(res.body)).not.toContain('correct horse');
    expect(res.body).not.toHaveProperty('passwordHash');

    const got = await api.get(`/api/users/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const stored = await withDb((db) => db.user.findUniqueOrThrow({ where: { id: res.body.id } }));
    expect(stored.passwordHash).toMatch(/^\$argon2i\$v=19\$m=8192,t=8,p=1\$/);
    expect(await verifyPassword('correct horse battery staple', stored.passwordHash!)).toBe(true);
  });

  it('creates a user with no identifiers at all (as Logto) and stores the phone without its +', async () => {
    const empty = await api.post('/api/users', {});
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(userShape({}));
    const phone = `8613${Math.floor(1e7 + Math.random() * 9e7)}`;
    const plus = await api.post('/api/users', { primaryPhone: `+${phone}` });
    expect(plus.body.primaryPhone).toBe(phone);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await api.get('/api/users/no-such-user');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'entity.not_found', message: 'The user with id `no-such-user` does not exist.' });
  });
});

describe('validation names the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a username starting with a digit', { username: '1alice' }, 'username'],
    ['a username with a dash', { username: 'al-ice' }, 'username'],
    ['an email without a domain', { primaryEmail: 'alice@' }, 'primaryEmail'],
    ['a phone with letters', { primaryPhone: '555-CALL-NOW' }, 'primaryPhone'],
    ['a phone of only +', { primaryPhone: '+' }, 'primaryPhone'],
    ['an avatar that is not a URL', { avatar: 'not a url' }, 'avatar'],
    ['an empty password', { password: '' }, 'password'],
    ['customData that is not an object', { customData: [1, 2] }, 'customData'],
    ['an unknown profile claim', { profile: { shoeSize: '42' } }, 'profile.shoeSize'],
    ['an unknown field', { role: 'admin' }, 'role'],
  ];
  for (const [what, body, field] of cases) {
    it(`400 for ${what}`, async () => {
      const res = await api.post('/api/users', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'guard.invalid_input', message: expect.stringContaining(field), field });
    });
  }

  it('validates PATCH bodies the same way', async () => {
    const { body: user } = await api.post('/api/users', {});
    const res = await api.patch(`/api/users/${user.id}`, { primaryEmail: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'guard.invalid_input', field: 'primaryEmail' });
    const suspended = await api.patch(`/api/users/${user.id}/is-suspended`, { isSuspended: 'yes' });
    expect(suspended.status).toBe(400);
    expect(suspended.body).toMatchObject({ code: 'guard.invalid_input', field: 'isSuspended' });
  });
});

describe('identifier collisions are 422 with Logto codes', () => {
  it('refuses a taken username, email (any case) or phone (with or without +), on create and on update', async () => {
    const t = tag();
    const phone = `4420${Math.floor(1e6 + Math.random() * 9e6)}`;
    const { body: first } = await api.post('/api/users', { username: `bob_${t}`, primaryEmail: `Bob.${t}@Example.com`, primaryPhone: phone });
    const dupes: [Record<string, unknown>, string, string][] = [
      [{ username: `bob_${t}` }, 'user.username_already_in_use', 'username'],
      [{ primaryEmail: `bob.${t}@example.COM` }, 'user.email_already_in_use', 'primaryEmail'],
      [{ primaryPhone: `+${phone}` }, 'user.phone_already_in_use', 'primaryPhone'],
    ];
    const { body: second } = await api.post('/api/users', { username: `carol_${t}` });
    for (const [body, code, field] of dupes) {
      const created = await api.post('/api/users', body);
      expect(created.status).toBe(422);
      expect(created.body).toEqual({ code, message: expect.any(String), field });
      const patched = await api.patch(`/api/users/${second.id}`, body);
      expect(patched.status).toBe(422);
      expect(patched.body).toEqual({ code, message: expect.any(String), field });
    }
    // A user may keep its own identifiers.
    const same = await api.patch(`/api/users/${first.id}`, { username: `bob_${t}`, primaryEmail: `bob.${t}@example.com` });
    expect(same.status).toBe(200);
    expect(same.body.primaryEmail).toBe(`bob.${t}@example.com`);
    // Nothing was half-written: the second user is unchanged.
    expect((await api.get(`/api/users/${second.id}`)).body).toMatchObject({ username: `carol_${t}`, primaryEmail: null, primaryPhone: null });
  });
});

describe('update', () => {
  it('PATCH updates the given fields, clears identifiers with null or "", replaces customData and profile', async () => {
    const t = tag();
    const { body: u } = await api.post('/api/users', { username: `dave_${t}`, primaryEmail: `dave.${t}@example.com`, name: 'Dave', customData: { a: 1, b: 2 }, profile: { nickname: 'd' } });
    const res = await api.patch(`/api/users/${u.id}`, { username: null, primaryEmail: '', name: 'David', customData: { c: 3 }, profile: { locale: 'ja-JP' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(userShape({ id: u.id, name: 'David', customData: { c: 3 }, profile: { locale: 'ja-JP' }, createdAt: u.createdAt }));
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(u.updatedAt);
    expect((await api.patch('/api/users/missing-user', { name: 'x' })).status).toBe(404);
  });

  it('PATCH custom-data merges and returns the custom data; GET custom-data reads it', async () => {
    const { body: u } = await api.post('/api/users', { customData: { keep: true, over: 'old' } });
    const res = await api.patch(`/api/users/${u.id}/custom-data`, { customData: { over: 'new', added: [1] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keep: true, over: 'new', added: [1] });
    expect((await api.get(`/api/users/${u.id}/custom-data`)).body).toEqual({ keep: true, over: 'new', added: [1] });
    const bad = await api.patch(`/api/users/${u.id}/custom-data`, { customData: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'customData' });
  });

  it('PATCH profile merges the standard claims', async () => {
    const { body: u } = await api.post('/api/users', { profile: { givenName: 'E' } });
    const res = await api.patch(`/api/users/${u.id}/profile`, { profile: { familyName: 'F' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ givenName: 'E', familyName: 'F' });
  });

  it('PATCH is-suspended toggles suspension and revokes the user\'s live opaque tokens', async () => {
    const { body: u } = await api.post('/api/users', {});
    const now = Date.now();
    await withDb((db) => db.opaqueToken.create({
      data: { id: `tok-${u.id}`, tokenHash: `hash-${u.id}`, applicationId: 'bootstrap-admin', subject: u.id, resource: 'https://x', scope: '', claims: {}, expiresAt: new Date(now + 3_600_000) },
    }));
    const res = await api.patch(`/api/users/${u.id}/is-suspended`, { isSuspended: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(userShape({ id: u.id, isSuspended: true, createdAt: u.createdAt }));
    const token = await withDb((db) => db.opaqueToken.findUniqueOrThrow({ where: { id: `tok-${u.id}` } }));
    expect(token.revokedAt).not.toBeNull();
    const back = await api.patch(`/api/users/${u.id}/is-suspended`, { isSuspended: false });
    expect(back.body.isSuspended).toBe(false);
  });

  it('PATCH password stores a new Argon2i hash and answers with hasPassword only', async () => {
    const { body: u } = await api.post('/api/users', {});
    const res = await api.patch(`/api/users/${u.id}/password`, { password: 'n3w-Passw0rd!' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(userShape({ id: u.id, hasPassword: true, createdAt: u.createdAt }));
    const stored = await withDb((db) => db.user.findUniqueOrThrow({ where: { id: u.id } }));
    expect(await verifyPassword('n3w-Passw0rd!', stored.passwordHash!)).toBe(true);
    expect(await verifyPassword('wrong', stored.passwordHash!)).toBe(false);
    expect((await api.patch('/api/users/missing-user/password', { password: 'x' })).status).toBe(404);
  });
});

describe('list, search and pagination', () => {
  it('searches id, username, email, phone and name, case-insensitively, Logto %pattern% included', async () => {
    const t = tag();
    const phone = `3361${Math.floor(1e6 + Math.random() * 9e6)}`;
    const a = (await api.post('/api/users', { username: `srch_${t}_a`, name: 'Zelda Quux' })).body;
    const b = (await api.post('/api/users', { primaryEmail: `Srch.${t}@Example.org` })).body;
    const c = (await api.post('/api/users', { primaryPhone: phone })).body;
    const ids = async (q: string) => (await api.get(`/api/users?search=${encodeURIComponent(q)}`)).body.map((u: { id: string }) => u.id).sort();
    expect(await ids(`srch_${t}`)).toEqual([a.id]);
    expect(await ids(`SRCH.${t}@example`)).toEqual([b.id]);
    expect(await ids(`%srch.${t}%`)).toEqual([b.id]);
    expect(await ids(`srch${t}`)).toEqual([]);
    expect(await ids(phone.slice(2))).toEqual([c.id]);
    expect(await ids(`+${phone}`)).toEqual([c.id]);
    expect(await ids('zelda quux')).toEqual([a.id]);
    expect(await ids(a.id)).toEqual([a.id]);
  });

  it('paginates newest first with Total-Number and Logto\'s Link header', async () => {
    const t = tag();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await api.post('/api/users', { username: `page_${t}_${i}` })).body.id);
    const page2 = await api.get(`/api/users?search=page_${t}&page=2&page_size=2`);
    expect(page2.status).toBe(200);
    expect(page2.headers.get('total-number')).toBe('5');
    expect(page2.body.map((u: { id: string }) => u.id)).toEqual([made[2], made[1]]);
    const base = `${sigil.url}/api/users?search=page_${t}`;
    expect(page2.headers.get('link')).toBe(
      `<${base}&page=1&page_size=2>; rel="first", <${base}&page=3&page_size=2>; rel="last", ` +
      `<${base}&page=1&page_size=2>; rel="prev", <${base}&page=3&page_size=2>; rel="next"`,
    );
    const defaults = await api.get(`/api/users?search=page_${t}`);
    expect(defaults.headers.get('link')).toBe(`<${base}&page=1>; rel="first", <${base}&page=1>; rel="last"`);
    const bad = await api.get('/api/users?page_size=101');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'guard.invalid_pagination', message: expect.any(String), field: 'page_size' });
    expect((await api.get('/api/users?page=0')).body).toMatchObject({ code: 'guard.invalid_pagination', field: 'page' });
  });
});

describe('roles', () => {
  let userRole: { id: string };
  let m2mRole: { id: string };
  beforeAll(async () => {
    userRole = (await api.post('/api/roles', { name: `editors-${tag()}`, description: 'User role' })).body;
    m2mRole = (await api.post('/api/roles', { name: `robots-${tag()}`, description: 'M2M role', type: 'MachineToMachine' })).body;
  });

  it('assigns User roles to a user, skips ones already held, lists, and removes them', async () => {
    const { body: u } = await api.post('/api/users', {});
    const assigned = await api.post(`/api/users/${u.id}/roles`, { roleIds: [userRole.id] });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toEqual({ roleIds: [userRole.id], addedRoleIds: [userRole.id] });
    expect((await api.post(`/api/users/${u.id}/roles`, { roleIds: [userRole.id] })).status).toBe(201);
    const list = await api.get(`/api/users/${u.id}/roles`);
    expect(list.status).toBe(200);
    expect(list.headers.get('total-number')).toBe('1');
    expect(list.body).toEqual([{ id: userRole.id, name: expect.any(String), description: 'User role', type: 'User', isDefault: false, createdAt: expect.any(Number) }]);
    expect((await api.del(`/api/users/${u.id}/roles/${userRole.id}`)).status).toBe(204);
    const again = await api.del(`/api/users/${u.id}/roles/${userRole.id}`);
    expect(again.status).toBe(404);
    expect((await api.get(`/api/users/${u.id}/roles`)).body).toEqual([]);
  });

  it('refuses MachineToMachine roles (422) and unknown roles or users (404), writing nothing', async () => {
    const { body: u } = await api.post('/api/users', {});
    const m2m = await api.post(`/api/users/${u.id}/roles`, { roleIds: [userRole.id, m2mRole.id] });
    expect(m2m.status).toBe(422);
    expect(m2m.body).toEqual({ code: 'user.invalid_role_type', message: expect.any(String), field: 'roleIds' });
    expect((await api.post(`/api/users/${u.id}/roles`, { roleIds: ['no-such-role'] })).status).toBe(404);
    expect((await api.post('/api/users/no-such-user/roles', { roleIds: [userRole.id] })).status).toBe(404);
    expect((await api.get(`/api/users/${u.id}/roles`)).body).toEqual([]);
    const empty = await api.post(`/api/users/${u.id}/roles`, { roleIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ field: 'roleIds' });
  });

  it('assigns a role to users from the role side (GET|POST /roles/:id/users, DELETE /roles/:id/users/:userId)', async () => {
    const t = tag();
    const u1 = (await api.post('/api/users', { username: `ru_${t}_1` })).body;
    const u2 = (await api.post('/api/users', { username: `ru_${t}_2` })).body;
    const role = (await api.post('/api/roles', { name: `members-${t}`, description: '' })).body;
    expect((await api.post(`/api/roles/${role.id}/users`, { userIds: [u1.id, u2.id] })).status).toBe(201);
    const dup = await api.post(`/api/roles/${role.id}/users`, { userIds: [u2.id] });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({ code: 'role.user_exists', message: expect.any(String), field: 'userIds' });
    expect((await api.post(`/api/roles/${role.id}/users`, { userIds: ['ghost'] })).status).toBe(404);
    expect((await api.post(`/api/roles/${m2mRole.id}/users`, { userIds: [u1.id] })).body).toMatchObject({ code: 'entity.db_constraint_violated' });

    const list = await api.get(`/api/roles/${role.id}/users?page_size=1`);
    expect(list.headers.get('total-number')).toBe('2');
    expect(list.body).toEqual([userShape({ id: u2.id, username: `ru_${t}_2`, createdAt: u2.createdAt, updatedAt: u2.updatedAt })]);
    expect((await api.get(`/api/roles/${role.id}/users?search=ru_${t}_1`)).body.map((u: { id: string }) => u.id)).toEqual([u1.id]);
    const counted = (await api.get(`/api/roles?search=members-${t}`)).body[0];
    expect(counted).toMatchObject({ id: role.id, usersCount: 2, applicationsCount: 0 });
    const excluded = await api.get(`/api/users?search=ru_${t}&excludeRoleId=${role.id}`);
    expect(excluded.body).toEqual([]);

    expect((await api.del(`/api/roles/${role.id}/users/${u1.id}`)).status).toBe(204);
    expect((await api.del(`/api/roles/${role.id}/users/${u1.id}`)).status).toBe(404);
    expect((await api.get(`/api/users/${u2.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([role.id]);
    expect((await api.get('/api/roles/no-such-role/users')).status).toBe(404);
  });

  it('assigns an M2M role to applications from the role side; the app then gets its scopes', async () => {
    const t = tag();
    const indicator = `https://inventory.example/${t}`;
    const resource = (await api.post('/api/resources', { name: 'Inventory', indicator })).body;
    const scope = (await api.post(`/api/resources/${resource.id}/scopes`, { name: 'read:stock' })).body;
    const role = (await api.post('/api/roles', { name: `stock-readers-${t}`, description: '', type: 'MachineToMachine', scopeIds: [scope.id] })).body;
    const app = (await api.post('/api/applications', { name: 'Stock bot', type: 'MachineToMachine' })).body;

    expect((await api.post(`/api/roles/${role.id}/applications`, { applicationIds: [app.id] })).status).toBe(201);
    const dup = await api.post(`/api/roles/${role.id}/applications`, { applicationIds: [app.id] });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({ code: 'role.application_exists', message: expect.any(String), field: 'applicationIds' });
    expect((await api.post(`/api/roles/${userRole.id}/applications`, { applicationIds: [app.id] })).body).toMatchObject({ code: 'application.role_type_mismatch' });
    expect((await api.post(`/api/roles/${role.id}/applications`, { applicationIds: ['ghost'] })).status).toBe(404);
    expect((await api.get(`/api/roles/${role.id}/applications`)).body.map((a: { id: string }) => a.id)).toEqual([app.id]);

    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator, scope: 'read:stock' }, { id: app.id, secret: app.secret });
    expect(token.body.scope).toBe('read:stock');

    expect((await api.del(`/api/roles/${role.id}/applications/${app.id}`)).status).toBe(204);
    expect((await api.del(`/api/roles/${role.id}/applications/${app.id}`)).status).toBe(404);
    const after = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator, scope: 'read:stock' }, { id: app.id, secret: app.secret });
    expect(after.status).toBe(200);
    expect(after.body.scope).toBeUndefined();
  });
});

describe('delete and data events', () => {
  it('deletes a user (204, then 404) and records Logto-named events with before/after, never a password', async () => {
    const t = tag();
    const role = (await api.post('/api/roles', { name: `ev-${t}`, description: '' })).body;
    const { body: u } = await api.post('/api/users', { username: `ev_${t}`, password: 'first-Secret-pw' });
    await api.patch(`/api/users/${u.id}`, { name: 'Evelyn' });
    await api.patch(`/api/users/${u.id}/password`, { password: 'second-Secret-pw' });
    await api.patch(`/api/users/${u.id}/is-suspended`, { isSuspended: true });
    await api.post(`/api/users/${u.id}/roles`, { roleIds: [role.id] });
    expect((await api.del(`/api/users/${u.id}`)).status).toBe(204);
    expect((await api.get(`/api/users/${u.id}`)).status).toBe(404);
    expect((await api.del(`/api/users/${u.id}`)).status).toBe(404);

    await withDb(async (db) => {
      expect(await db.userRole.count({ where: { userId: u.id } })).toBe(0);
      const rows = await db.auditLog.findMany({ where: { userId: u.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      expect(rows.map((r) => r.key)).toEqual([
        'User.Created', 'User.Data.Updated', 'User.Data.Updated', 'User.SuspensionStatus.Updated', 'User.Roles.Updated', 'User.Deleted',
      ]);
      const [created, renamed, passworded, suspended, roles, deleted] = rows.map((r) => r.payload as Record<string, any>);
      expect(created).toMatchObject({ result: 'Success', entity: 'User', entityId: u.id, actor: { type: 'application', id: 'bootstrap-admin' }, after: { username: `ev_${t}`, hasPassword: true } });
      expect(renamed).toMatchObject({ before: { name: null }, after: { name: 'Evelyn' } });
      expect(passworded).toMatchObject({ before: { hasPassword: true }, after: { hasPassword: true } });
      expect(suspended).toMatchObject({ before: { isSuspended: false }, after: { isSuspended: true } });
      expect(roles).toMatchObject({ before: { roleIds: [] }, after: { roleIds: [role.id] } });
      expect(deleted).toMatchObject({ before: { id: u.id, username: `ev_${t}` } });
      const text = JSON.stringify(rows);
      expect(text).not.toContain('Secret-pw');
      expect(text).not.toContain('scrypt$');
      expect(text).not.toContain('$argon2');
    });
  });
});
