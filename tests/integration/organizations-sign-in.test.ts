// Organizations in a user's sign-in: the `organizations`, `organization_roles` and `organization_data`
// claims by scope (read at issuance); organization tokens that carry only the organization scopes asked
// for at sign-in (or narrowed at refresh) AND given by the user's roles now; `organization_id` on the
// authorization request (the first access token is already an organization token); `context.organization`
// in the claims script; and JIT provisioning when a user registers on the sign-in page.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, browse, postForm, readForm } from '../helpers/sign-in.ts';
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
const ORGS = 'urn:logto:scope:organizations';
const ORG_ROLES = 'urn:logto:scope:organization_roles';

/** Two organization scopes, a role giving both, and an organization the fixture's user belongs to with that role. */
async function membership() {
  const read = (await f.api.post('/api/organization-scopes', { name: `read:docs-${tag()}` })).body;
  const write = (await f.api.post('/api/organization-scopes', { name: `write:docs-${tag()}` })).body;
  const role = (await f.api.post('/api/organization-roles', { name: `editor-${tag()}`, organizationScopeIds: [read.id, write.id] })).body;
  const org = (await f.api.post('/api/organizations', { name: `Acme ${tag()}`, description: 'Customer' })).body;
  await f.api.post(`/api/organizations/${org.id}/users`, { userIds: [f.user.id] });
  await f.api.post(`/api/organizations/${org.id}/users/${f.user.id}/roles`, { organizationRoleIds: [role.id] });
  return { read, write, role, org };
}

const userinfo = async (token: string) => {
  const res = await fetch(`${sigil.url}/oidc/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
};

describe('organization claims', () => {
  it('ID token and userinfo carry the user\'s organizations and roles by scope, read at issuance', async () => {
    const { role, org } = await membership();
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS} ${ORG_ROLES}`, resources: ['urn:logto:resource:organizations'] });
    const id = decodeJwt(String(tokens.id_token));
    expect(id.organizations).toContain(org.id);
    expect(id.organization_roles).toContain(`${org.id}:${role.name}`);
    expect(id).not.toHaveProperty('organization_data');
    const info = await userinfo(String(tokens.access_token));
    expect(info.status).toBe(200);
    expect(info.body.organizations).toEqual(id.organizations);
    expect(info.body.organization_roles).toEqual(id.organization_roles);
    expect(info.body.organization_data).toContainEqual({ id: org.id, name: org.name, description: 'Customer' });

    // Leaving the organization shows in the next ID token (refresh) and in userinfo at once.
    await f.api.del(`/api/organizations/${org.id}/users/${f.user.id}`);
    expect((await userinfo(String(tokens.access_token))).body.organizations).not.toContain(org.id);
    const next = await refresh(sigil, f.spa.id, String(tokens.refresh_token));
    expect(decodeJwt(String(next.body.id_token)).organizations).not.toContain(org.id);
  });

  it('without the organization scopes there are no organization claims', async () => {
    await membership();
    const { tokens } = await codeFlow(sigil, f, { scope: 'openid profile' });
    const id = decodeJwt(String(tokens.id_token));
    for (const claim of ['organizations', 'organization_roles', 'organization_data']) expect(id).not.toHaveProperty(claim);
    const info = await userinfo(String(tokens.access_token));
    for (const claim of ['organizations', 'organization_roles', 'organization_data']) expect(info.body).not.toHaveProperty(claim);
  });
});

describe('organization tokens: requested scopes AND held ones', () => {
  it('gives only the organization scopes asked for at sign-in that the roles give, narrowed further per request', async () => {
    const { read, write, org } = await membership();
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS} ${read.name} read:orders` });
    let rt = String(tokens.refresh_token);
    const next = async (extra: Record<string, string>) => {
      const res = await refresh(sigil, f.spa.id, rt, extra);
      if (res.body.refresh_token) rt = res.body.refresh_token;
      return res;
    };
    const token = await next({ organization_id: org.id });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe(read.name);
    expect(decodeJwt(token.body.access_token)).toMatchObject({ aud: `urn:logto:organization:${org.id}`, scope: read.name });
    // write:docs is held but was never asked for: not grantable by narrowing either.
    expect(await next({ organization_id: org.id, scope: write.name })).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const narrowed = await next({ organization_id: org.id, scope: ORGS });
    expect(narrowed).toMatchObject({ status: 200, body: { scope: '' } });
  });
});

describe('organization_id on the authorization request', () => {
  it('makes the code exchange issue an organization token', async () => {
    const { read, org } = await membership();
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS} ${read.name}`, extra: { organization_id: org.id }, resources: [] });
    expect(tokens.scope).toBe(read.name);
    expect(decodeJwt(String(tokens.access_token))).toMatchObject({ aud: `urn:logto:organization:${org.id}`, sub: f.user.id, scope: read.name });
    expect(decodeJwt(String(tokens.id_token)).organizations).toContain(org.id);
    // The refresh token is an ordinary one: without organization_id, the userinfo token.
    const plain = await refresh(sigil, f.spa.id, String(tokens.refresh_token));
    expect(plain.status).toBe(200);
    expect((await userinfo(plain.body.access_token)).status).toBe(200);
  });

  it('with a resource, a resource token carrying organization_id', async () => {
    const orders = (await f.api.get(`/api/resources`)).body.find((r: { indicator: string }) => r.indicator === f.indicator);
    const del = (await f.api.get(`/api/resources/${orders.id}/scopes`)).body.find((s: { name: string }) => s.name === 'delete:orders');
    const role = (await f.api.post('/api/organization-roles', { name: `deleter-${tag()}`, resourceScopeIds: [del.id] })).body;
    const { org } = await membership();
    await f.api.post(`/api/organizations/${org.id}/users/${f.user.id}/roles`, { organizationRoleIds: [role.id] });
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS} delete:orders read:orders`, extra: { organization_id: org.id } });
    const withResource = await refresh(sigil, f.spa.id, String(tokens.refresh_token), { organization_id: org.id, resource: f.indicator });
    expect(decodeJwt(withResource.body.access_token)).toMatchObject({ aud: f.indicator, organization_id: org.id, scope: 'delete:orders' });
  });

  it('refuses it without the organizations scope or for an unknown organization, back at the redirect URI', async () => {
    const { org } = await membership();
    const go = async (scope: string, organizationId: string) => {
      const url = `/oidc/auth?${new URLSearchParams({ client_id: f.web.id, redirect_uri: `${f.redirectUri}/web`, response_type: 'code', scope, state: 's', organization_id: organizationId })}`;
      const step = await browse(sigil, new CookieJar(), url);
      expect(step.status).toBe(303);
      return Object.fromEntries(new URL(step.location!, sigil.url).searchParams);
    };
    expect(await go('openid', org.id)).toMatchObject({ error: 'invalid_request', error_description: `organization_id requires the ${ORGS} scope`, state: 's' });
    expect(await go(`openid ${ORGS}`, 'no-such-org')).toMatchObject({ error: 'invalid_request', error_description: 'organization_id is not a known organization' });
    expect(await go(`openid ${ORGS}`, 'x'.repeat(200))).toMatchObject({ error: 'invalid_request' });
  });

  it('a non-member gets access_denied at the exchange; organization_id on the code exchange itself is refused', async () => {
    const org = (await f.api.post('/api/organizations', { name: `Other ${tag()}` })).body;
    await expect(codeFlow(sigil, f, { scope: `openid ${ORGS}`, extra: { organization_id: org.id }, resources: [] })).rejects.toThrow(/access_denied/);
    const { org: mine } = await membership();
    const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS}`, resources: [] });
    expect(tokens.scope).toBe('openid offline_access urn:logto:scope:organizations');
    const refused = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa.id, code: 'x'.repeat(43), redirect_uri: f.redirectUri, organization_id: mine.id });
    expect(refused.status).toBe(400);
  });
});

describe('the claims script sees context.organization', () => {
  it('for user and M2M organization tokens, with the subject\'s roles and scopes there', async () => {
    const script = `const getCustomJwtClaims = async ({ context }) => ({ org: context.organization ?? null, orgCount: (context.user?.organizations ?? []).length });`;
    expect([200, 201]).toContain((await f.api.put('/api/configs/jwt-customizer/access-token', { script })).status);
    expect([200, 201]).toContain((await f.api.put('/api/configs/jwt-customizer/client-credentials', { script: `const getCustomJwtClaims = async ({ context }) => ({ org: context.organization ?? null });` })).status);
    try {
      const { read, role, org } = await membership();
      await f.api.patch(`/api/organizations/${org.id}`, { customData: { tier: 'gold' } });
      const { tokens } = await codeFlow(sigil, f, { scope: `openid offline_access ${ORGS} ${read.name}` });
      const token = await refresh(sigil, f.spa.id, String(tokens.refresh_token), { organization_id: org.id });
      const claims = decodeJwt(token.body.access_token);
      expect(claims.org).toEqual({
        id: org.id, name: org.name, description: 'Customer', customData: { tier: 'gold' },
        roles: [{ id: role.id, name: role.name }], scopes: expect.arrayContaining([read.name]),
      });
      expect(claims.orgCount).toBeGreaterThan(0);
      // A plain resource token has no organization.
      const plain = await refresh(sigil, f.spa.id, String(token.body.refresh_token ?? tokens.refresh_token), { resource: f.indicator });
      expect(decodeJwt(plain.body.access_token).org).toBeNull();

      await f.api.post(`/api/organizations/${org.id}/applications`, { applicationIds: [f.m2m.id] });
      const m2m = await tokenRequest(sigil, { grant_type: 'client_credentials', organization_id: org.id }, { id: f.m2m.id, secret: f.m2m.secret });
      expect(decodeJwt(m2m.body.access_token).org).toEqual({ id: org.id, name: org.name, description: 'Customer', customData: { tier: 'gold' }, roles: [], scopes: [] });
    } finally {
      await f.api.del('/api/configs/jwt-customizer/access-token');
      await f.api.del('/api/configs/jwt-customizer/client-credentials');
    }
  });
});

describe('JIT provisioning at sign-up', () => {
  it('a user registering with a listed email domain joins with the JIT roles; others do not', async () => {
    const domain = `jit-${tag()}.example`;
    const role = (await f.api.post('/api/organization-roles', { name: `jit-${tag()}` })).body;
    const org = (await f.api.post('/api/organizations', { name: `JIT ${tag()}` })).body;
    await f.api.post(`/api/organizations/${org.id}/jit/email-domains`, { emailDomain: domain });
    await f.api.post(`/api/organizations/${org.id}/jit/roles`, { organizationRoleIds: [role.id] });
    expect((await f.api.patch('/api/sign-in-exp', { signInMode: 'SignInAndRegister' })).status).toBe(200);
    try {
      const register = async (identifier: string) => {
        const jar = new CookieJar();
        await browse(sigil, jar, `/oidc/auth?${new URLSearchParams({ client_id: f.web.id, redirect_uri: `${f.redirectUri}/web`, response_type: 'code', scope: 'openid' })}`);
        const form = readForm((await browse(sigil, jar, `/sign-in?app_id=${f.web.id}&mode=register`)).body);
        expect((await postForm(sigil, jar, form.action, { ...form.fields, identifier, password: 'long enough pw', confirm: 'long enough pw' })).status).toBe(303);
        const users = await f.api.get(`/api/users?search=${encodeURIComponent(identifier.split('@')[0]!)}`);
        expect(users.body).toHaveLength(1);
        return users.body[0].id as string;
      };
      const joined = await register(`dana_${tag()}@${domain.toUpperCase()}`);
      const orgs = await f.api.get(`/api/users/${joined}/organizations`);
      expect(orgs.body).toEqual([expect.objectContaining({ id: org.id, organizationRoles: [{ id: role.id, name: role.name }] })]);
      const outsider = await register(`erin_${tag()}@other-${tag()}.example`);
      expect((await f.api.get(`/api/users/${outsider}/organizations`)).body).toEqual([]);
    } finally {
      await f.api.patch('/api/sign-in-exp', { signInMode: 'SignIn' });
    }
  });
});
