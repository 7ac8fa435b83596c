// Organization tokens at /oidc/token: client_credentials with `organization_id` for member M2M apps and the
// refresh_token grant with `organization_id` for signed-in members; scopes come from the member's roles
// at issuance (a role granted after sign-in shows in the next token), non-members are refused, and a
// deleted organization stops issuance at once.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { codeFlow, refresh } from './sign-in.flows.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

let sigil: Sigil;
let f: SignInFixture;

beforeAll(async () => {
  sigil = await startSigil();
  f = await signInFixture(sigil);
});
afterAll(async () => sigil?.stop());

const tag = () => Math.random().toString(36).slice(2, 8);

async function template(type: 'User' | 'MachineToMachine') {
  const scope = (await f.api.post('/api/organization-scopes', { name: `read:docs-${tag()}` })).body;
  const resource = (await f.api.get('/api/resources')).body.find((r: { indicator: string }) => r.indicator === f.indicator);
  const orders = (await f.api.get(`/api/resources/${resource.id}/scopes`)).body.find((s: { name: string }) => s.name === 'delete:orders');
  const role = (await f.api.post('/api/organization-roles', { name: `member-${tag()}`, type, organizationScopeIds: [scope.id], resourceScopeIds: [orders.id] })).body;
  const org = (await f.api.post('/api/organizations', { name: `org-${tag()}` })).body;
  return { scope, role, org };
}

describe('client_credentials with organization_id', () => {
  it('issues an organization JWT to a member app with the scopes its organization roles give', async () => {
    const { scope, role, org } = await template('MachineToMachine');
    const app = { id: f.m2m.id, secret: f.m2m.secret };
    const params = { grant_type: 'client_credentials', organization_id: org.id, scope: `${scope.name} unknown:scope` };
    const refused = await tokenRequest(sigil, params, app);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'access_denied' });

    await f.api.post(`/api/organizations/${org.id}/applications`, { applicationIds: [app.id] });
    const empty = await tokenRequest(sigil, params, app);
    // Logto states an organization token's scope even when empty, in the response and the JWT.
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer', scope: '' });
    expect(decodeJwt(empty.body.access_token)).toMatchObject({ scope: '' });

    await f.api.post(`/api/organizations/${org.id}/applications/${app.id}/roles`, { organizationRoleIds: [role.id] });
    const token = await tokenRequest(sigil, params, app);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: scope.name });
    expect(decodeJwt(token.body.access_token)).toMatchObject({ aud: `urn:logto:organization:${org.id}`, sub: app.id, client_id: app.id, scope: scope.name });

    const forResource = await tokenRequest(sigil, { ...params, resource: f.indicator, scope: 'delete:orders read:orders' }, app);
    expect(forResource.status).toBe(200);
    expect(decodeJwt(forResource.body.access_token)).toMatchObject({ aud: f.indicator, scope: 'delete:orders', organization_id: org.id });
    const management = await tokenRequest(sigil, { ...params, resource: `${sigil.url}/api`, scope: 'all' }, app);
    expect(management).toMatchObject({ status: 400, body: { error: 'invalid_target' } });

    await f.api.del(`/api/organizations/${org.id}`);
    expect((await tokenRequest(sigil, params, app)).status).toBe(403);
    // An empty organization_id is no organization_id (Logto's): a plain client_credentials request, here with no resource.
    expect((await tokenRequest(sigil, { ...params, organization_id: '' }, app)).body).toMatchObject({ error: 'invalid_target' });
  });
});

describe('refresh_token with organization_id', () => {
  it('needs the organizations scope', async () => {
    const { org } = await template('User');
    const { tokens } = await codeFlow(sigil, f);
    const res = await refresh(sigil, f.spa.id, tokens.refresh_token as string, { organization_id: org.id });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'insufficient_scope' });
  });

  it('gives members an organization token whose scopes follow their current roles', async () => {
    const { scope, role, org } = await template('User');
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access urn:logto:scope:organizations ${scope.name} read:orders delete:orders` });
    let refreshToken = tokens.refresh_token as string;
    const next = async (extra: Record<string, string>) => {
      const res = await refresh(sigil, f.spa.id, refreshToken, { organization_id: org.id, ...extra });
      if (res.body.refresh_token) refreshToken = res.body.refresh_token;
      return res;
    };
    expect(await next({})).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    await f.api.post(`/api/organizations/${org.id}/users`, { userIds: [f.user.id] });
    const plain = await next({});
    expect(plain.status).toBe(200);
    expect(decodeJwt(plain.body.access_token as string)).toMatchObject({ aud: `urn:logto:organization:${org.id}`, sub: f.user.id });
    expect(plain.body.scope).toBe('');
    expect(decodeJwt(plain.body.access_token as string)).toMatchObject({ scope: '' });
    // Granted after sign-in: shows in the next token.
    await f.api.post(`/api/organizations/${org.id}/users/${f.user.id}/roles`, { organizationRoleIds: [role.id] });
    const withRole = await next({});
    expect(decodeJwt(withRole.body.access_token as string)).toMatchObject({ aud: `urn:logto:organization:${org.id}`, scope: scope.name });
    const forResource = await next({ resource: f.indicator });
    expect(forResource.status).toBe(200);
    expect(decodeJwt(forResource.body.access_token as string)).toMatchObject({ aud: f.indicator, scope: 'delete:orders', organization_id: org.id });
    await f.api.del(`/api/organizations/${org.id}/users/${f.user.id}`);
    expect(await next({})).toMatchObject({ status: 400, body: { error: 'access_denied' } });
  });
});
