// Logto compatibility (issue 16) for API resources, scopes and roles: built-in ids as Logto's, the
// Management API resource untouchable (400 resource.cannot_modify_management_api), Logto's error codes,
// PATCH /resources/:id/is-default, and the role list filters. Exact status and JSON asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const uniq = () => Math.random().toString(36).slice(2, 10);
const error = (code: string, field?: string) => ({ code, message: expect.any(String), ...(field ? { field } : {}) });
const resource = async () => {
  const res = await api.post('/api/resources', { name: `r-${uniq()}`, indicator: `https://api.example/${uniq()}` });
  expect(res.status).toBe(201);
  return res.body as { id: string; indicator: string; name: string };
};

describe('API resources', () => {
  it("the Management API has Logto's ids (management-api, management-api-all) and tenantId", async () => {
    const got = await api.get('/api/resources/management-api');
    expect(got.body).toMatchObject({ tenantId: 'default', id: 'management-api', indicator: `${sigil.url}/api`, isBuiltIn: true });
    const [first] = (await api.get('/api/resources/management-api/scopes')).body;
    expect(first).toEqual({
      tenantId: 'default', id: 'management-api-all', resourceId: 'management-api', name: 'all',
      description: 'Default scope for Management API, allows all permissions.', createdAt: expect.any(Number),
    });
  });

  it('the Management API resource and its scopes cannot be changed: 400 resource.cannot_modify_management_api', async () => {
    const refused = { status: 400, body: error('resource.cannot_modify_management_api') };
    expect(await api.patch('/api/resources/management-api', { name: 'x' })).toMatchObject(refused);
    expect(await api.patch('/api/resources/management-api/is-default', { isDefault: true })).toMatchObject(refused);
    expect(await api.del('/api/resources/management-api')).toMatchObject(refused);
    expect(await api.post('/api/resources/management-api/scopes', { name: 'extra' })).toMatchObject(refused);
    expect(await api.patch('/api/resources/management-api/scopes/management-api-all', { description: 'x' })).toMatchObject(refused);
    expect(await api.del('/api/resources/management-api/scopes/management-api-all')).toMatchObject(refused);
    // Logto's name (@logto/schemas defaultManagementApi), which tools compare against.
    expect((await api.get('/api/resources/management-api')).body.name).toBe('Logto Management API');
  });

  it("duplicate indicator: 422 resource.resource_identifier_in_use; PATCH ignores indicator (strips unknown keys)", async () => {
    const r = await resource();
    expect(await api.post('/api/resources', { name: 'dup', indicator: r.indicator })).toMatchObject({ status: 422, body: error('resource.resource_identifier_in_use', 'indicator') });
    const patched = await api.patch(`/api/resources/${r.id}`, { name: 'renamed', indicator: 'https://other.example/' });
    expect(patched).toMatchObject({ status: 200, body: { id: r.id, name: 'renamed', indicator: r.indicator } });
    expect(await api.patch(`/api/resources/${r.id}`, { name: 123 })).toMatchObject({ status: 400, body: error('guard.invalid_input', 'name') });
  });

  it('PATCH /resources/:id/is-default keeps at most one default; bad bodies are 400 naming isDefault', async () => {
    const [a, b] = [await resource(), await resource()];
    expect(await api.patch(`/api/resources/${a.id}/is-default`, { isDefault: true })).toMatchObject({ status: 200, body: { id: a.id, isDefault: true } });
    expect(await api.patch(`/api/resources/${b.id}/is-default`, { isDefault: true })).toMatchObject({ status: 200, body: { id: b.id, isDefault: true } });
    const defaults = (await api.get('/api/resources?page_size=100')).body.filter((r: { isDefault: boolean }) => r.isDefault).map((r: { id: string }) => r.id);
    expect(defaults).toEqual([b.id]);
    for (const bad of [{}, { isDefault: 'yes' }, { isDefault: null }]) {
      expect(await api.patch(`/api/resources/${a.id}/is-default`, bad)).toMatchObject({ status: 400, body: error('guard.invalid_input', 'isDefault') });
    }
    expect((await api.patch('/api/resources/nope/is-default', { isDefault: true })).status).toBe(404);
    expect(await api.patch(`/api/resources/${b.id}/is-default`, { isDefault: false })).toMatchObject({ status: 200, body: { isDefault: false } });
  });
});

describe('roles', () => {
  it("the Management API `all` scope cannot go into a User role (400), and nothing is written", async () => {
    const name = `u-${uniq()}`;
    const created = await api.post('/api/roles', { name, description: 'd', scopeIds: ['management-api-all'] });
    expect(created).toMatchObject({ status: 400, body: error('role.management_api_scopes_not_assignable_to_user_role', 'scopeIds') });
    expect((await api.get(`/api/roles?search=${name}`)).body).toEqual([]);
    const user = (await api.post('/api/roles', { name, description: 'd' })).body;
    expect(await api.post(`/api/roles/${user.id}/scopes`, { scopeIds: ['management-api-all'] })).toMatchObject({ status: 400, body: error('role.management_api_scopes_not_assignable_to_user_role', 'scopeIds') });
    expect((await api.get(`/api/roles/${user.id}/scopes`)).body).toEqual([]);
  });

  it('excludeApplicationId / excludeUserId leave out the roles the principal has; role applications search', async () => {
    const prefix = `ex-${uniq()}`;
    const m2m = (await api.post('/api/roles', { name: `${prefix}-m2m`, description: 'd', type: 'MachineToMachine' })).body;
    const userRole = (await api.post('/api/roles', { name: `${prefix}-user`, description: 'd' })).body;
    const app = (await api.post('/api/applications', { name: `${prefix}-app`, type: 'MachineToMachine' })).body;
    const user = (await api.post('/api/users', { username: `u${uniq()}` })).body;
    expect((await api.post(`/api/roles/${m2m.id}/applications`, { applicationIds: [app.id] })).status).toBe(201);
    expect((await api.post(`/api/roles/${userRole.id}/users`, { userIds: [user.id] })).status).toBe(201);
    const names = async (q: string) => (await api.get(`/api/roles?search=${prefix}&${q}`)).body.map((r: { name: string }) => r.name).sort();
    expect(await names(`excludeApplicationId=${app.id}`)).toEqual([`${prefix}-user`]);
    expect(await names(`excludeUserId=${user.id}`)).toEqual([`${prefix}-m2m`]);
    expect((await api.get('/api/roles?excludeUserId=')).body).toEqual(error('guard.invalid_input', 'excludeUserId'));
    expect((await api.get(`/api/roles/${m2m.id}/applications?search=${prefix}`)).body.map((a: { id: string }) => a.id)).toEqual([app.id]);
    expect((await api.get(`/api/roles/${m2m.id}/applications?search=not-found`)).body).toEqual([]);
  });

  it("a user into a MachineToMachine role: Logto's 422 entity.db_constraint_violated", async () => {
    const m2m = (await api.post('/api/roles', { name: `m-${uniq()}`, description: 'd', type: 'MachineToMachine' })).body;
    const user = (await api.post('/api/users', { username: `u${uniq()}` })).body;
    expect(await api.post(`/api/roles/${m2m.id}/users`, { userIds: [user.id] })).toMatchObject({ status: 422, body: error('entity.db_constraint_violated', 'id') });
    expect((await api.get(`/api/roles/${m2m.id}/users`)).body).toEqual([]);
  });
});
