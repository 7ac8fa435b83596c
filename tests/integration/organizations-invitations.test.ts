// Organization invitations and JIT settings over HTTP in Logto's shapes: one Pending invitation per invitee
// and organization, expiry read as Expired, accepting (the user joins with the roles), revoking, the error
// codes Logto answers, the invitation event a mail sender needs; JIT email domains and roles.
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
const org = async () => (await api.post('/api/organizations', { name: `org-${tag()}` })).body as { id: string; name: string };
const role = async (type = 'User') => (await api.post('/api/organization-roles', { name: `role-${tag()}`, type })).body as { id: string; name: string };
const later = () => Date.now() + 1_000_000;

describe('invitations', () => {
  it('creates an invitation in Logto shape, reads it back, and records the event a mail sender needs', async () => {
    const o = await org();
    const r = await role();
    const invitee = `${tag()}@Example.com`;
    const expiresAt = later();
    // Sigil sends no mail: a message payload is refused as Logto refuses it without an email connector, and nothing is created.
    const mail = await api.post('/api/organization-invitations', { organizationId: o.id, invitee, expiresAt, messagePayload: { link: 'https://app.example/accept' } });
    expect(mail).toMatchObject({ status: 501, body: { code: 'connector.not_found', field: 'messagePayload' } });
    expect((await api.get(`/api/organization-invitations?organizationId=${o.id}`)).body).toEqual([]);
    const created = await api.post('/api/organization-invitations', { organizationId: o.id, invitee, expiresAt, organizationRoleIds: [r.id], messagePayload: false });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String), inviterId: null, invitee: invitee.toLowerCase(), acceptedUserId: null, organizationId: o.id, status: 'Pending',
      createdAt: expect.any(Number), updatedAt: expect.any(Number), expiresAt, organizationRoles: [{ id: r.id, name: r.name }],
    });
    expect((await api.get(`/api/organization-invitations/${created.body.id}`)).body).toEqual(created.body);
    expect((await api.get(`/api/organization-invitations?organizationId=${o.id}`)).body).toEqual([created.body]);
    expect((await api.post(`/api/organization-invitations/${created.body.id}/message`, { link: 'x' })).status).toBe(501);
    expect((await api.post('/api/organization-invitations/nope/message', { link: 'x' })).status).toBe(404);
    const db = openDb(sigil.databaseUrl);
    try {
      const rows = await db.auditLog.findMany({ where: { key: 'OrganizationInvitation.Created' } });
      expect(rows.some((row) => JSON.stringify(row.payload).includes(created.body.id))).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('answers Logto codes for bad invitations and creates none', async () => {
    const o = await org();
    const email = `${tag()}@example.com`;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ organizationId: o.id, invitee: email, expiresAt: Date.now() - 1000 }, 400, 'request.invalid_input'],
      [{ organizationId: o.id, invitee: 'invalid', expiresAt: later() }, 400, 'guard.invalid_input'],
      [{ organizationId: 'nope', invitee: email, expiresAt: later() }, 422, 'entity.relation_foreign_key_not_found'],
      [{ organizationId: o.id, invitee: email, expiresAt: later(), organizationRoleIds: [(await role('MachineToMachine')).id] }, 422, 'entity.db_constraint_violated'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api.post('/api/organization-invitations', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe(code);
    }
    expect((await api.get(`/api/organization-invitations?organizationId=${o.id}`)).body).toEqual([]);
    expect((await api.post('/api/organization-invitations', { organizationId: o.id, invitee: email, expiresAt: later() })).status).toBe(201);
    const dup = await api.post('/api/organization-invitations', { organizationId: o.id, invitee: email, expiresAt: later() });
    expect(dup).toMatchObject({ status: 422, body: { code: 'entity.unique_integrity_violation', field: 'invitee' } });
    const member = (await api.post('/api/users', { primaryEmail: `m-${email}` })).body;
    await api.post(`/api/organizations/${o.id}/users`, { userIds: [member.id] });
    const already = await api.post('/api/organization-invitations', { organizationId: o.id, invitee: `m-${email}`, expiresAt: later() });
    expect(already).toMatchObject({ status: 422, body: { code: 'request.invalid_input', field: 'invitee' } });
  });

  it('accepting makes the invitee a member with the roles; an ended invitation cannot change', async () => {
    const o = await org();
    const r = await role();
    const invitee = `${tag()}@example.com`;
    const inv = (await api.post('/api/organization-invitations', { organizationId: o.id, invitee, expiresAt: later(), organizationRoleIds: [r.id] })).body;
    const stranger = (await api.post('/api/users', { primaryEmail: `other-${invitee}` })).body;
    expect((await api.put(`/api/organization-invitations/${inv.id}/status`, { status: 'Accepted', acceptedUserId: stranger.id })).body.code).toBe('request.invalid_input');
    expect((await api.put(`/api/organization-invitations/${inv.id}/status`, { status: 'Accepted', acceptedUserId: 'nope' }))).toMatchObject({ status: 404, body: { code: 'entity.not_found' } });
    const u = (await api.post('/api/users', { primaryEmail: invitee })).body;
    const accepted = await api.put(`/api/organization-invitations/${inv.id}/status`, { status: 'Accepted', acceptedUserId: u.id });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'Accepted', acceptedUserId: u.id });
    expect((await api.get(`/api/users/${u.id}/organizations`)).body).toEqual([expect.objectContaining({ id: o.id, organizationRoles: [{ id: r.id, name: r.name }] })]);
    const again = await api.put(`/api/organization-invitations/${inv.id}/status`, { status: 'Revoked' });
    expect(again).toMatchObject({ status: 422, body: { code: 'request.invalid_input' } });
  });

  it('reads a Pending invitation past its expiry as Expired and refuses to accept it', async () => {
    const o = await org();
    const inv = (await api.post('/api/organization-invitations', { organizationId: o.id, invitee: `${tag()}@example.com`, expiresAt: Date.now() + 300 })).body;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await api.get(`/api/organization-invitations/${inv.id}`)).body.status).toBe('Expired');
    const res = await api.put(`/api/organization-invitations/${inv.id}/status`, { status: 'Revoked' });
    expect(res).toMatchObject({ status: 422, body: { code: 'request.invalid_input' } });
    // A new invitation for the same invitee is allowed once the old one expired.
    expect((await api.post('/api/organization-invitations', { organizationId: o.id, invitee: inv.invitee, expiresAt: later() })).status).toBe(201);
  });
});

describe('JIT settings', () => {
  it('adds, lists (all without pagination), replaces and removes email domains', async () => {
    const o = await org();
    expect((await api.post(`/api/organizations/${o.id}/jit/email-domains`, { emailDomain: 'Acme.com' }))).toMatchObject({ status: 201, body: { organizationId: o.id, emailDomain: 'acme.com' } });
    expect((await api.post(`/api/organizations/${o.id}/jit/email-domains`, { emailDomain: 'acme.com' })).status).toBe(422);
    expect((await api.post(`/api/organizations/${o.id}/jit/email-domains`, { emailDomain: 'not a domain' }))).toMatchObject({ status: 400, body: { field: 'emailDomain' } });
    const domains = Array.from({ length: 25 }, (_, i) => `d${i}.example`);
    expect((await api.put(`/api/organizations/${o.id}/jit/email-domains`, { emailDomains: domains })).status).toBe(204);
    expect((await api.get(`/api/organizations/${o.id}/jit/email-domains`)).body).toHaveLength(25);
    const page = await api.get(`/api/organizations/${o.id}/jit/email-domains?page=2&page_size=20`);
    expect(page.body).toHaveLength(5);
    expect(page.headers.get('total-number')).toBe('25');
    expect((await api.del(`/api/organizations/${o.id}/jit/email-domains/d0.example`)).status).toBe(204);
    expect((await api.del(`/api/organizations/${o.id}/jit/email-domains/d0.example`)).status).toBe(404);
  });

  it('adds (idempotently), replaces and removes JIT roles; unknown roles are 422', async () => {
    const o = await org();
    const [a, b] = [await role(), await role()];
    expect((await api.post(`/api/organizations/${o.id}/jit/roles`, { organizationRoleIds: [a.id] })).status).toBe(201);
    expect((await api.post(`/api/organizations/${o.id}/jit/roles`, { organizationRoleIds: [a.id, b.id] })).status).toBe(201);
    expect((await api.get(`/api/organizations/${o.id}/jit/roles`)).body.map((r: { id: string }) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect((await api.post(`/api/organizations/${o.id}/jit/roles`, { organizationRoleIds: ['nope'] })).body.code).toBe('entity.relation_foreign_key_not_found');
    expect((await api.put(`/api/organizations/${o.id}/jit/roles`, { organizationRoleIds: [b.id] })).status).toBe(204);
    expect((await api.del(`/api/organizations/${o.id}/jit/roles/${a.id}`)).status).toBe(404);
    expect((await api.del(`/api/organizations/${o.id}/jit/roles/${b.id}`)).status).toBe(204);
    expect((await api.get(`/api/organizations/${o.id}/jit/roles`)).body).toEqual([]);
  });
});
