// Logto compatibility (issue 16) for applications, their secrets and roles: Logto's wire shapes, status
// codes and error codes, each asserted exactly, plus bad input answered 400 naming the field with nothing
// changed. Secrets stay hashed by default; SIGIL_CLIENT_SECRETS=retrievable has its own file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const uniq = () => Math.random().toString(36).slice(2, 10);
const app = async (type: string, extra: Record<string, unknown> = {}) => {
  const res = await api.post('/api/applications', { name: `app-${uniq()}`, type, ...extra });
  expect(res.status).toBe(200);
  return res.body as { id: string; name: string; secret?: string };
};
const role = async (type: 'User' | 'MachineToMachine', name = `role-${uniq()}`) => {
  const res = await api.post('/api/roles', { name, description: 'd', type });
  expect(res.status).toBe(200);
  return res.body as { id: string; name: string };
};
const error = (code: string, field?: string) => ({ code, message: expect.any(String), ...(field ? { field } : {}) });

describe('applications', () => {
  it('public clients get no secret property; confidential ones show the hashed default secret once', async () => {
    const spa = await api.post('/api/applications', { name: 'spa', type: 'SPA' });
    expect(spa.body).toEqual({
      id: expect.any(String), name: 'spa', description: null, type: 'SPA', oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [] },
      customClientMetadata: {}, customData: {}, isThirdParty: false, createdAt: expect.any(Number),
    });
    const m2m = await app('MachineToMachine');
    expect(m2m.secret).toMatch(/^[\w-]{43}$/);
    const secrets = await api.get(`/api/applications/${m2m.id}/secrets`);
    expect(secrets.body).toEqual([{ applicationId: m2m.id, name: 'Default secret', prefix: m2m.secret!.slice(0, 6), createdAt: expect.any(Number), expiresAt: null }]);
  });

  it('customData: set at creation, merged by PATCH /custom-data, replaced by PATCH /applications/:id', async () => {
    const a = await app('SPA', { customData: { a: 1 } });
    expect((await api.patch(`/api/applications/${a.id}/custom-data`, { b: { c: true } })).body).toEqual({ a: 1, b: { c: true } });
    expect((await api.patch(`/api/applications/${a.id}/custom-data`, { a: 2 })).body).toEqual({ a: 2, b: { c: true } });
    expect((await api.get(`/api/applications/${a.id}`)).body.customData).toEqual({ a: 2, b: { c: true } });
    expect((await api.patch(`/api/applications/${a.id}`, { customData: {} })).body.customData).toEqual({});
    expect((await api.patch('/api/applications/nope/custom-data', { a: 1 })).status).toBe(404);
  });

  it('PATCH strips unknown keys, replaces customClientMetadata, and toggles isAdmin on M2M apps', async () => {
    const t = await app('Traditional');
    const patched = await api.patch(`/api/applications/${t.id}`, { description: 'x', protectedAppMetadata: { origin: 'https://a.example' }, customClientMetadata: { rotateRefreshToken: true } });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('protectedAppMetadata');
    expect((await api.get(`/api/applications/${t.id}`)).body).toMatchObject({ description: 'x', customClientMetadata: { rotateRefreshToken: true }, isAdmin: false });
    expect((await api.patch(`/api/applications/${t.id}`, { isAdmin: true })).body).toEqual(error('application.invalid_type', 'isAdmin'));

    const m = await app('MachineToMachine');
    expect((await api.patch(`/api/applications/${m.id}`, { isAdmin: true })).status).toBe(200);
    expect((await api.get(`/api/applications/${m.id}`)).body.isAdmin).toBe(true);
    expect((await api.get(`/api/applications/${m.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual(['management-api-access']);
    expect((await api.patch(`/api/applications/${m.id}`, { isAdmin: false })).status).toBe(200);
    expect((await api.get(`/api/applications/${m.id}`)).body.isAdmin).toBe(false);
  });

  it('list filters: Logto-only types match nothing, isThirdParty, excludeRoleId; malformed values are 400 naming the parameter', async () => {
    const prefix = `flt-${uniq()}`;
    const m1 = await app('MachineToMachine', { name: `${prefix}-1` });
    const m2 = await app('MachineToMachine', { name: `${prefix}-2` });
    const r = await role('MachineToMachine');
    await api.post(`/api/applications/${m1.id}/roles`, { roleIds: [r.id] });
    const names = async (q: string) => (await api.get(`/api/applications?search=${prefix}&${q}`)).body.map((a: { name: string }) => a.name).sort();
    expect(await names('types=Protected&types=SAML')).toEqual([]);
    expect(await names('types=MachineToMachine&types=Protected')).toEqual([m1.name, m2.name].sort());
    expect(await names(`excludeRoleId=${r.id}`)).toEqual([m2.name]);
    expect(await names('isThirdParty=true')).toEqual([]);
    expect(await names('isThirdParty=false')).toEqual([m1.name, m2.name].sort());
    expect((await api.get('/api/applications?types=Bogus')).body).toEqual(error('guard.invalid_input', 'types'));
    expect((await api.get('/api/applications?isThirdParty=maybe')).body).toEqual(error('guard.invalid_input', 'isThirdParty'));
    expect((await api.get('/api/applications?excludeRoleId=')).status).toBe(400);
  });

  it("search unwraps Logto's %term%; any other % and _ match themselves", async () => {
    const p = `srch${uniq()}`;
    for (const n of [`${p}-one`, `x-${p}-two`, `${p}_lit`]) await app('SPA', { name: n });
    const names = async (q: string) => (await api.get(`/api/applications?search=${encodeURIComponent(q)}`)).body.map((a: { name: string }) => a.name).sort();
    expect(await names(`%${p}%`)).toEqual([`${p}-one`, `${p}_lit`, `x-${p}-two`]);
    expect(await names(`${p}%`)).toEqual([]);
    expect(await names(`%${p}-two`)).toEqual([]);
    expect(await names(`%${p}_l%`)).toEqual([`${p}_lit`]);
    expect(await names(`%${p}-l%`)).toEqual([]);
    expect(await names(`%${p}%o%`)).toEqual([]);
    expect(await names(p)).toEqual([`${p}-one`, `${p}_lit`, `x-${p}-two`]);
  });
});

describe('application secrets', () => {
  it("public apps cannot have secrets (Logto's 422 entity.db_constraint_violated); names are unique", async () => {
    const spa = await app('SPA');
    expect(await api.post(`/api/applications/${spa.id}/secrets`, { name: 's' })).toMatchObject({ status: 422, body: error('entity.db_constraint_violated') });
    const m = await app('MachineToMachine');
    expect((await api.post(`/api/applications/${m.id}/secrets`, { name: 'one' })).status).toBe(201);
    const dup = await api.post(`/api/applications/${m.id}/secrets`, { name: 'one' });
    expect(dup).toMatchObject({ status: 422, body: error('application.secret_name_exists', 'name') });
  });

  it('PATCH /secrets/:name renames; the value keeps working; conflicts, unknown names and bad bodies change nothing', async () => {
    const m = await app('MachineToMachine');
    const created = await api.post(`/api/applications/${m.id}/secrets`, { name: 'old' });
    await api.post(`/api/applications/${m.id}/secrets`, { name: 'taken' });
    const renamed = await api.patch(`/api/applications/${m.id}/secrets/old`, { name: 'new' });
    expect(renamed).toMatchObject({ status: 200, body: { applicationId: m.id, name: 'new', prefix: created.body.prefix, createdAt: created.body.createdAt, expiresAt: null } });
    expect(renamed.body).not.toHaveProperty('value');
    expect(await api.patch(`/api/applications/${m.id}/secrets/new`, { name: 'taken' })).toMatchObject({ status: 422, body: error('application.secret_name_exists', 'name') });
    expect((await api.patch(`/api/applications/${m.id}/secrets/absent`, { name: 'x' })).status).toBe(404);
    for (const bad of [{}, { name: '' }, { name: 42 }, { name: 'x'.repeat(300) }]) {
      expect(await api.patch(`/api/applications/${m.id}/secrets/new`, bad)).toMatchObject({ status: 400, body: error('guard.invalid_input', 'name') });
    }
    const names = (await api.get(`/api/applications/${m.id}/secrets`)).body.map((s: { name: string }) => s.name).sort();
    expect(names).toEqual(['Default secret', 'new', 'taken']);
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials' }, { id: m.id, secret: created.body.value });
    expect(token.status).not.toBe(401);
  });
});

describe('application roles', () => {
  it("non-M2M apps: 422 application.invalid_type on every role operation", async () => {
    const spa = await app('SPA');
    const r = await role('MachineToMachine');
    const invalid = { status: 422, body: error('application.invalid_type') };
    expect(await api.get(`/api/applications/${spa.id}/roles`)).toMatchObject(invalid);
    expect(await api.post(`/api/applications/${spa.id}/roles`, { roleIds: [r.id] })).toMatchObject(invalid);
    expect(await api.put(`/api/applications/${spa.id}/roles`, { roleIds: [r.id] })).toMatchObject(invalid);
    expect(await api.del(`/api/applications/${spa.id}/roles/${r.id}`)).toMatchObject(invalid);
  });

  it('POST answers { roleIds, addedRoleIds } and skips held roles; PUT replaces the set; search filters', async () => {
    const m = await app('MachineToMachine');
    const [r1, r2, r3] = [await role('MachineToMachine', `alpha-${uniq()}`), await role('MachineToMachine'), await role('MachineToMachine')];
    expect(await api.post(`/api/applications/${m.id}/roles`, { roleIds: [r1.id] })).toMatchObject({ status: 201, body: { roleIds: [r1.id], addedRoleIds: [r1.id] } });
    const again = await api.post(`/api/applications/${m.id}/roles`, { roleIds: [r1.id, r2.id] });
    expect(again).toMatchObject({ status: 201, body: { roleIds: [r1.id, r2.id], addedRoleIds: [r2.id] } });
    expect((await api.get(`/api/applications/${m.id}/roles?search=${r1.name}`)).body.map((r: { id: string }) => r.id)).toEqual([r1.id]);

    expect((await api.put(`/api/applications/${m.id}/roles`, { roleIds: [r2.id, r3.id] })).status).toBe(204);
    const ids = (await api.get(`/api/applications/${m.id}/roles`)).body.map((r: { id: string }) => r.id).sort();
    expect(ids).toEqual([r2.id, r3.id].sort());
  });

  it('refusals change nothing: User roles, unknown roles, empty or malformed bodies', async () => {
    const m = await app('MachineToMachine');
    const keep = await role('MachineToMachine');
    const user = await role('User');
    await api.put(`/api/applications/${m.id}/roles`, { roleIds: [keep.id] });
    for (const call of [(b: unknown) => api.post(`/api/applications/${m.id}/roles`, b), (b: unknown) => api.put(`/api/applications/${m.id}/roles`, b)]) {
      expect(await call({ roleIds: [user.id] })).toMatchObject({ status: 422, body: error('application.invalid_role_type', 'roleIds') });
      expect((await call({ roleIds: ['no-such-role'] })).status).toBe(404);
      expect(await call({ roleIds: [] })).toMatchObject({ status: 400, body: error('guard.invalid_input', 'roleIds') });
      expect(await call({ roleIds: [''] })).toMatchObject({ status: 400, body: error('guard.invalid_input', 'roleIds.0') });
      expect(await call({})).toMatchObject({ status: 400, body: error('guard.invalid_input', 'roleIds') });
    }
    expect((await api.get(`/api/applications/${m.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([keep.id]);
  });

  it('PUT and PATCH isAdmin keep the privilege rule: a caller without `all` cannot hand out the built-in role', async () => {
    const limited = await app('MachineToMachine');
    const writer = await role('MachineToMachine');
    const scopes = (await api.get('/api/resources/management-api/scopes?page_size=100')).body as Array<{ id: string; name: string }>;
    const want = scopes.filter((s) => ['write:applications', 'read:applications'].includes(s.name)).map((s) => s.id);
    expect((await api.post(`/api/roles/${writer.id}/scopes`, { scopeIds: want })).status).toBe(201);
    await api.put(`/api/applications/${limited.id}/roles`, { roleIds: [writer.id] });
    const small = await managementClient(sigil, 'read:applications write:applications', { id: limited.id, secret: limited.secret! });
    const target = await app('MachineToMachine');
    expect((await small.put(`/api/applications/${target.id}/roles`, { roleIds: ['management-api-access'] })).status).toBe(403);
    expect((await small.patch(`/api/applications/${target.id}`, { isAdmin: true })).status).toBe(403);
    expect((await api.get(`/api/applications/${target.id}/roles`)).body).toEqual([]);
  });
});
