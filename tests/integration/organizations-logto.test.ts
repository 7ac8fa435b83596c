// Organizations as Logto's own integration tests see them: GET /users with `excludeOrganizationId` (the
// console's "add members" picker), webhook payloads of membership and role-scope changes in Logto's shape
// (`organizationId`, `addedUserIds`…, `organizationRoleId` at the top level, no `data`), and the JIT
// settings' error answers (404 on removing what is not there, 422 on a duplicate domain or unknown role).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

type Api = Awaited<ReturnType<typeof managementClient>>;

let sigil: Sigil;
let api: Api;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_TIMEOUT_MS: '1000' } });
  api = await managementClient(sigil);
});
afterAll(async () => {
  await sigil?.stop();
  await receiver?.close();
});

const tag = () => Math.random().toString(36).slice(2, 8);

describe('GET /api/users?excludeOrganizationId', () => {
  it('leaves out the members of that organization, with the total counted the same way', async () => {
    const prefix = `excl_${tag()}_`;
    const orgs = await Promise.all([1, 2, 3].map(async (n) => (await api.post('/api/organizations', { name: `${prefix}${n}` })).body));
    const users = await Promise.all([1, 2, 3].map(async (n) => (await api.post('/api/users', { username: `${prefix}${n}` })).body));
    await api.post(`/api/organizations/${orgs[0].id}/users`, { userIds: [users[0].id, users[1].id] });
    await api.post(`/api/organizations/${orgs[1].id}/users`, { userIds: [users[1].id, users[2].id] });
    await api.post(`/api/organizations/${orgs[2].id}/users`, { userIds: [users[2].id] });

    const list = async (organizationId: string) => {
      const res = await api.get(`/api/users?search.username=${encodeURIComponent(`${prefix}%`)}&excludeOrganizationId=${organizationId}`);
      expect(res.status).toBe(200);
      return { total: res.headers.get('total-number'), ids: (res.body as { id: string }[]).map((u) => u.id).sort() };
    };
    expect(await list(orgs[0].id)).toEqual({ total: '1', ids: [users[2].id] });
    expect(await list(orgs[1].id)).toEqual({ total: '1', ids: [users[0].id] });
    expect(await list(orgs[2].id)).toEqual({ total: '2', ids: [users[0].id, users[1].id].sort() });
    // An organization nobody belongs to (or that does not exist) excludes nobody.
    expect((await list('no-such-org')).total).toBe('3');

    const bad = await api.get(`/api/users?excludeOrganizationId=${'x'.repeat(300)}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'guard.invalid_input', field: 'excludeOrganizationId' });
  });
});

describe('webhook payloads in Logto shape', () => {
  it('membership changes carry organizationId and the deltas at the top level, without data', async () => {
    const hook = (await api.post('/api/hooks', { name: `m-${tag()}`, events: ['Organization.Membership.Updated'], config: { url: receiver.url } })).body;
    const org = (await api.post('/api/organizations', { name: `org-${tag()}` })).body;
    const user = (await api.post('/api/users', { username: `u_${tag()}`, primaryEmail: `${tag()}@invitee.test` })).body;
    const invitation = (await api.post('/api/organization-invitations', {
      organizationId: org.id, invitee: user.primaryEmail, expiresAt: Date.now() + 1_000_000,
    })).body;
    const accepted = await api.put(`/api/organization-invitations/${invitation.id}/status`, { status: 'Accepted', acceptedUserId: user.id });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'Accepted' } });
    await receiver.waitFor((r) => r.some((x) => x.body?.hookId === hook.id));
    const got = receiver.received.find((x) => x.body?.hookId === hook.id)!.body;
    expect(got).toMatchObject({
      event: 'Organization.Membership.Updated', organizationId: org.id, addedUserIds: [user.id],
      path: `/organization-invitations/${invitation.id}/status`, method: 'PUT', status: 200,
    });
    expect(got).not.toHaveProperty('data');

    const app = (await api.post('/api/applications', { name: 'm2m', type: 'MachineToMachine' })).body;
    await api.post(`/api/organizations/${org.id}/applications`, { applicationIds: [app.id] });
    await api.del(`/api/organizations/${org.id}/users/${user.id}`);
    await receiver.waitFor((r) => r.filter((x) => x.body?.hookId === hook.id).length >= 3);
    const rest = receiver.received.filter((x) => x.body?.hookId === hook.id).slice(1).map((x) => x.body);
    expect(rest).toEqual(expect.arrayContaining([
      expect.objectContaining({ organizationId: org.id, addedApplicationIds: [app.id] }),
      expect.objectContaining({ organizationId: org.id, removedUserIds: [user.id] }),
    ]));
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('a role created with scopes also announces OrganizationRole.Scopes.Updated with organizationRoleId', async () => {
    const hook = (await api.post('/api/hooks', { name: `r-${tag()}`, events: ['OrganizationRole.Created', 'OrganizationRole.Scopes.Updated'], config: { url: receiver.url } })).body;
    const scope = (await api.post('/api/organization-scopes', { name: `s-${tag()}` })).body;
    const role = (await api.post('/api/organization-roles', { name: `r-${tag()}`, organizationScopeIds: [scope.id] })).body;
    const bare = (await api.post('/api/organization-roles', { name: `b-${tag()}` })).body;
    await receiver.waitFor((r) => r.filter((x) => x.body?.hookId === hook.id).length >= 3);
    const mine = receiver.received.filter((x) => x.body?.hookId === hook.id).map((x) => x.body);
    expect(mine.find((b) => b.event === 'OrganizationRole.Created' && b.data.id === role.id)).toMatchObject({ path: '/organization-roles', data: role });
    const scopes = mine.filter((b) => b.event === 'OrganizationRole.Scopes.Updated');
    expect(scopes).toHaveLength(1);
    expect(scopes[0]).toMatchObject({ organizationRoleId: role.id, path: '/organization-roles', method: 'POST' });
    expect(scopes[0]).not.toHaveProperty('data');
    expect(mine.filter((b) => b.data?.id === bare.id)).toHaveLength(1);
    await api.del(`/api/hooks/${hook.id}`);
  });
});

describe('JIT settings: error answers', () => {
  it('404 on removing an unknown domain or role, 422 on a duplicate domain or unknown role, nothing changed', async () => {
    const org = (await api.post('/api/organizations', { name: `jit-${tag()}` })).body;
    expect(await api.del(`/api/organizations/${org.id}/jit/email-domains/nowhere.test`)).toMatchObject({
      status: 404, body: { code: 'entity.not_found', message: 'The organization email domain `nowhere.test` does not exist.' },
    });
    expect((await api.post(`/api/organizations/${org.id}/jit/email-domains`, { emailDomain: 'acme.test' })).status).toBe(201);
    expect(await api.post(`/api/organizations/${org.id}/jit/email-domains`, { emailDomain: 'acme.test' })).toMatchObject({
      status: 422, body: { code: 'entity.unique_integrity_violation', field: 'emailDomain' },
    });
    expect((await api.get(`/api/organizations/${org.id}/jit/email-domains`)).body).toEqual([{ organizationId: org.id, emailDomain: 'acme.test' }]);

    expect(await api.del(`/api/organizations/${org.id}/jit/roles/no-such-role`)).toMatchObject({ status: 404, body: { code: 'entity.not_found' } });
    expect(await api.post(`/api/organizations/${org.id}/jit/roles`, { organizationRoleIds: ['no-such-role'] })).toEqual(expect.objectContaining({
      status: 422,
      body: { code: 'entity.relation_foreign_key_not_found', message: 'The organization role with id `no-such-role` does not exist.', field: 'organizationRoleIds' },
    }));
    expect((await api.get(`/api/organizations/${org.id}/jit/roles`)).body).toEqual([]);
  });
});
