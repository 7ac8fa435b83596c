// Organizations over HTTP in Logto's wire shapes: CRUD and search, the template (scopes, roles with
// organization and resource scopes), memberships of users and M2M apps with their roles, the errors Logto
// answers (codes and statuses), nothing changed on refusal, audit records, and cascading delete.
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
const org = async (body: Record<string, unknown> = {}) => {
  const res = await api.post('/api/organizations', { name: `org-${tag()}`, ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string };
};
const user = async () => (await api.post('/api/users', { username: `u_${tag()}` })).body as { id: string };
const orgRole = async (body: Record<string, unknown> = {}) => {
  const res = await api.post('/api/organization-roles', { name: `role-${tag()}`, ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string; type: string };
};
const orgScope = async () => (await api.post('/api/organization-scopes', { name: `scope-${tag()}` })).body as { id: string; name: string };

async function withDb<T>(fn: (db: ReturnType<typeof openDb>) => Promise<T>): Promise<T> {
  const db = openDb(sigil.databaseUrl);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

describe('organizations', () => {
  it('creates, reads, updates and deletes an organization in Logto shape, with audit records', async () => {
    const created = await api.post('/api/organizations', { name: 'Acme', customData: { tier: 'gold' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{12}$/), name: 'Acme', description: null, customData: { tier: 'gold' },
      isMfaRequired: false, color: {}, branding: {}, customCss: null, createdAt: expect.any(Number),
    });
    const id = created.body.id as string;
    expect((await api.get(`/api/organizations/${id}`)).body).toEqual(created.body);
    const patched = await api.patch(`/api/organizations/${id}`, { description: 'B2B', color: { primaryColor: '#f00' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...created.body, description: 'B2B', color: { primaryColor: '#f00' } });
    expect((await api.del(`/api/organizations/${id}`)).status).toBe(204);
    const gone = await api.get(`/api/organizations/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: 'entity.not_exists_with_id', message: `The organization with id \`${id}\` does not exist.` });
    const rows = await withDb((db) => db.auditLog.findMany({ where: { key: { startsWith: 'Organization.' } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }));
    const keys = rows.filter((r) => JSON.stringify(r.payload).includes(id)).map((r) => r.key);
    expect(keys).toEqual(['Organization.Created', 'Organization.Data.Updated', 'Organization.Deleted']);
  });

  it('refuses bad input with 400 naming the field and creates nothing', async () => {
    const name = `bad-${tag()}`;
    const cases: [unknown, string][] = [
      [{ name, customData: 'b' }, 'customData'],
      [{ name: '' }, 'name'],
      [{ name, color: { primaryColor: 1 } }, 'color.primaryColor'],
      [{ name, unknown: 1 }, 'unknown'],
      [{ name, description: 'x'.repeat(257) }, 'description'],
    ];
    for (const [body, field] of cases) {
      const res = await api.post('/api/organizations', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'guard.invalid_input', field });
    }
    expect((await api.get(`/api/organizations?q=${name}`)).body).toEqual([]);
  });

  it('lists with q search, pagination headers and featured users', async () => {
    const t = tag();
    const a = await org({ name: `find-${t}-a` });
    await org({ name: `find-${t}-b` });
    const u = await user();
    expect((await api.post(`/api/organizations/${a.id}/users`, { userIds: [u.id] })).body).toEqual({ userIds: [u.id] });
    const page = await api.get(`/api/organizations?q=find-${t}&page_size=1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('total-number')).toBe('2');
    expect(page.body).toHaveLength(1);
    const plain = (await api.get(`/api/organizations?q=find-${t}-a`)).body;
    expect(plain).toHaveLength(1);
    expect(plain[0]).not.toHaveProperty('usersCount');
    const featured = (await api.get(`/api/organizations?q=find-${t}-a&showFeatured=true`)).body;
    expect(featured[0]).toMatchObject({ usersCount: 1, featuredUsers: [{ id: u.id, avatar: null, name: null }] });
  });
});

describe('organization template', () => {
  it('creates roles with organization and resource scopes and lists them', async () => {
    const scope = await orgScope();
    const resource = await api.post('/api/resources', { name: 'r', indicator: `https://api.example/${tag()}` });
    const rscope = await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'read:x' });
    const role = await orgRole({ description: 'members', organizationScopeIds: [scope.id], resourceScopeIds: [rscope.body.id] });
    expect(role).toEqual({ id: expect.any(String), name: role.name, description: 'members', type: 'User' });
    const listed = (await api.get(`/api/organization-roles?q=${role.name}`)).body;
    expect(listed).toEqual([{
      ...role, scopes: [{ id: scope.id, name: scope.name }],
      resourceScopes: [{ id: rscope.body.id, name: 'read:x', resource: { id: resource.body.id, name: 'r' } }],
    }]);
    expect((await api.get(`/api/organization-roles/${role.id}/scopes`)).body).toEqual([{ id: scope.id, name: scope.name, description: null }]);
    expect((await api.put(`/api/organization-roles/${role.id}/scopes`, { organizationScopeIds: [] })).status).toBe(204);
    expect((await api.get(`/api/organization-roles/${role.id}/scopes`)).body).toEqual([]);
    expect((await api.del(`/api/organization-roles/${role.id}/resource-scopes/${rscope.body.id}`)).status).toBe(204);
    expect((await api.del(`/api/organization-roles/${role.id}/resource-scopes/${rscope.body.id}`)).status).toBe(404);
  });

  it('answers duplicate names and unknown scopes as Logto and rolls the role back', async () => {
    const scope = await orgScope();
    const dup = await api.post('/api/organization-scopes', { name: scope.name });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({ code: 'entity.unique_integrity_violation', field: 'name' });
    const name = `rollback-${tag()}`;
    const missing = await api.post('/api/organization-roles', { name, organizationScopeIds: [scope.id], resourceScopeIds: ['nope'] });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ code: 'entity.relation_foreign_key_not_found', message: 'The scope with id `nope` does not exist.', field: 'resourceScopeIds' });
    expect((await api.get(`/api/organization-roles?q=${name}`)).body).toEqual([]);
  });

  it('refuses Management API scopes on organization roles (the privilege rule) and changes nothing', async () => {
    const all = (await api.get('/api/resources/management-api/scopes')).body.find((s: { name: string }) => s.name === 'all');
    const name = `escalate-${tag()}`;
    const create = await api.post('/api/organization-roles', { name, resourceScopeIds: [all.id] });
    expect(create.status).toBe(422);
    expect(create.body).toMatchObject({ code: 'organization.management_api_scope_not_allowed', field: 'resourceScopeIds' });
    expect((await api.get(`/api/organization-roles?q=${name}`)).body).toEqual([]);
    const role = await orgRole();
    for (const call of [() => api.post(`/api/organization-roles/${role.id}/resource-scopes`, { scopeIds: [all.id] }), () => api.put(`/api/organization-roles/${role.id}/resource-scopes`, { scopeIds: [all.id] })]) {
      const res = await call();
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('organization.management_api_scope_not_allowed');
    }
    expect((await api.get(`/api/organization-roles/${role.id}/resource-scopes`)).body).toEqual([]);
  });
});

describe('memberships', () => {
  it('adds users, gives them roles by id and name, lists them with roles and scopes', async () => {
    const o = await org();
    const [u1, u2] = [await user(), await user()];
    const scope = await orgScope();
    const [ra, rb] = [await orgRole({ name: `a-${tag()}`, organizationScopeIds: [scope.id] }), await orgRole({ name: `b-${tag()}` })];
    expect((await api.post(`/api/organizations/${o.id}/users`, { userIds: [u1.id, u1.id, u2.id] })).status).toBe(201);
    const added = await api.post(`/api/organizations/${o.id}/users/${u1.id}/roles`, { organizationRoleIds: [rb.id], organizationRoleNames: [ra.name] });
    expect(added).toMatchObject({ status: 201, body: { organizationRoleIds: [rb.id, ra.id] } });
    const users = await api.get(`/api/organizations/${o.id}/users`);
    expect(users.headers.get('total-number')).toBe('2');
    const first = users.body.find((x: { id: string }) => x.id === u1.id);
    expect(first.organizationRoles).toEqual([{ id: ra.id, name: ra.name }, { id: rb.id, name: rb.name }]);
    expect((await api.get(`/api/organizations/${o.id}/users/${u1.id}/scopes`)).body).toEqual([{ id: scope.id, name: scope.name, description: null }]);
    expect((await api.get(`/api/users/${u1.id}/organizations`)).body).toEqual([
      expect.objectContaining({ id: o.id, organizationRoles: [{ id: ra.id, name: ra.name }, { id: rb.id, name: rb.name }] }),
    ]);
    const filtered = (await api.get(`/api/organizations/${o.id}/users?organizationRoleId=${ra.id}`)).body;
    expect(filtered.map((x: { id: string }) => x.id)).toEqual([u1.id]);
    expect((await api.put(`/api/organizations/${o.id}/users`, { userIds: [u2.id] })).status).toBe(204);
    // Leaving the organization drops the member's roles there with the membership.
    expect(await withDb((db) => db.organizationUserRole.count({ where: { organizationId: o.id } }))).toBe(0);
  });

  it('answers Logto codes for missing organizations, non-members, wrong role types and unknown names', async () => {
    const o = await org();
    const u = await user();
    const m2m = await orgRole({ type: 'MachineToMachine' });
    const noOrg = await api.post('/api/organizations/nope/users', { userIds: [u.id] });
    expect(noOrg).toMatchObject({ status: 422, body: { code: 'entity.relation_foreign_key_not_found' } });
    expect((await api.post(`/api/organizations/${o.id}/users`, { userIds: [] })).status).toBe(400);
    const notMember = await api.post(`/api/organizations/${o.id}/users/${u.id}/roles`, { organizationRoleIds: [m2m.id] });
    expect(notMember).toMatchObject({ status: 422, body: { code: 'organization.require_membership' } });
    await api.post(`/api/organizations/${o.id}/users`, { userIds: [u.id] });
    const wrongType = await api.post(`/api/organizations/${o.id}/users/${u.id}/roles`, { organizationRoleIds: [m2m.id] });
    expect(wrongType).toMatchObject({ status: 422, body: { code: 'entity.db_constraint_violated', field: 'organizationRoleIds' } });
    const unknown = await api.post(`/api/organizations/${o.id}/users/${u.id}/roles`, { organizationRoleNames: ['no-such-role'] });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'organization.role_names_not_found' } });
    expect((await api.get(`/api/organizations/${o.id}/users/${u.id}/roles`)).body).toEqual([]);
    const noLink = await api.del(`/api/organizations/${o.id}/users/${u.id}/roles/${m2m.id}`);
    expect(noLink).toMatchObject({ status: 404, body: { code: 'entity.not_found' } });
    expect((await api.del(`/api/organizations/nope/users/${u.id}`)).status).toBe(404);
  });

  it('takes only MachineToMachine applications with MachineToMachine roles', async () => {
    const o = await org();
    const app = (await api.post('/api/applications', { name: 'svc', type: 'MachineToMachine' })).body;
    const spa = (await api.post('/api/applications', { name: 'web', type: 'SPA', oidcClientMetadata: { redirectUris: ['http://127.0.0.1/cb'], postLogoutRedirectUris: [] } })).body;
    const refused = await api.post(`/api/organizations/${o.id}/applications`, { applicationIds: [spa.id] });
    expect(refused).toMatchObject({ status: 422, body: { code: 'application.type_not_supported', field: 'applicationIds' } });
    expect((await api.post(`/api/organizations/${o.id}/applications`, { applicationIds: [app.id] })).status).toBe(201);
    const role = await orgRole({ type: 'MachineToMachine' });
    expect((await api.post(`/api/organizations/${o.id}/applications/${app.id}/roles`, { organizationRoleIds: [role.id] })).status).toBe(201);
    const apps = (await api.get(`/api/organizations/${o.id}/applications`)).body;
    // As in Logto's lists, no `isAdmin` (only GET /applications/:id carries it).
    const { isAdmin: _isAdmin, ...listed } = (await api.get(`/api/applications/${app.id}`)).body;
    expect(apps).toEqual([{ ...listed, organizationRoles: [{ id: role.id, name: role.name }] }]);
    expect((await api.get(`/api/applications/${app.id}/organizations`)).body).toEqual([expect.objectContaining({ id: o.id })]);
    expect((await api.del(`/api/organizations/nope/applications/${app.id}/roles/${role.id}`)).status).toBe(422);
  });

  it('deleting an organization removes its memberships and member roles in one transaction', async () => {
    const o = await org();
    const u = await user();
    const role = await orgRole();
    await api.post(`/api/organizations/${o.id}/users`, { userIds: [u.id] });
    await api.post(`/api/organizations/${o.id}/users/roles`, { userIds: [u.id], organizationRoleIds: [role.id] });
    expect((await api.get(`/api/organizations/${o.id}/users/${u.id}/roles`)).body).toEqual([{ ...role }]);
    expect((await api.del(`/api/organizations/${o.id}`)).status).toBe(204);
    const left = await withDb(async (db) => [await db.organizationUser.count({ where: { organizationId: o.id } }), await db.organizationUserRole.count({ where: { organizationId: o.id } })]);
    expect(left).toEqual([0, 0]);
    expect((await api.get(`/api/users/${u.id}/organizations`)).body).toEqual([]);
  });
});
