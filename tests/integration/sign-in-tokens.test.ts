// Refresh tokens, revocation, consent and registration on the wire: rotation with reuse detection and its
// grace window, revocation of a refresh-token family, third-party consent, sign-up, and the access-token
// claims script on user tokens.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { CookieJar, browse, postForm, readForm } from '../helpers/sign-in.ts';
import { startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { codeFlow, refresh } from './sign-in.flows.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

let sigil: Sigil;
let f: SignInFixture;
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  sigil = await startSigil();
  f = await signInFixture(sigil);
  db = openDb(sigil.databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
});

const oidcError = (error: string, description: string) => ({ error, error_description: description, code: `oidc.${error}`, message: description });
const REUSED = oidcError('invalid_grant', 'refresh token has already been used; the grant is revoked');
const userinfo = (token: unknown) => fetch(`${sigil.url}/oidc/me`, { headers: { authorization: `Bearer ${token}` } });

describe('refresh tokens', () => {
  it('gives concurrent refreshes of one token the same successor (the SDK race)', async () => {
    const { tokens } = await codeFlow(sigil, f);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => refresh(sigil, f.spa.id, String(tokens.refresh_token), i % 2 ? { resource: f.indicator } : {})));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const successors = new Set(answers.map((a) => a.body.refresh_token));
    expect(successors.size).toBe(1);
    expect(answers.map((a) => a.body.refresh_token)).not.toContain(tokens.refresh_token);
    expect((await refresh(sigil, f.spa.id, [...successors][0])).status).toBe(200);
  });

  it('revokes the whole grant when a rotated token comes back after the grace window', async () => {
    const { tokens } = await codeFlow(sigil, f);
    const rotated = await refresh(sigil, f.spa.id, String(tokens.refresh_token));
    expect(rotated.status).toBe(200);
    await db.refreshToken.updateMany({ where: { consumedAt: { not: null } }, data: { consumedAt: new Date(Date.now() - 60_000) } });
    expect(await refresh(sigil, f.spa.id, String(tokens.refresh_token))).toMatchObject({ status: 400, body: REUSED });
    // Everything of the grant is gone: the successor and the opaque access tokens.
    expect(await refresh(sigil, f.spa.id, rotated.body.refresh_token)).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'refresh token has been revoked') });
    expect((await userinfo(rotated.body.access_token)).status).toBe(401);
    // A new sign-in makes a new grant.
    const next = await codeFlow(sigil, f);
    expect((await refresh(sigil, f.spa.id, String(next.tokens.refresh_token))).status).toBe(200);
  });

  it('refuses a resource outside the authorization, an ungranted scope, another client and a missing token', async () => {
    const { tokens } = await codeFlow(sigil, f, { resources: [] , scope: 'openid offline_access' });
    const rt = String(tokens.refresh_token);
    expect(await refresh(sigil, f.spa.id, rt, { resource: f.indicator })).toMatchObject({ status: 400, body: oidcError('invalid_target', 'resource was not part of the authorization request') });
    expect(await refresh(sigil, f.spa.id, rt, { scope: 'openid email' })).toMatchObject({ status: 400, body: oidcError('invalid_scope', 'scope email was not granted') });
    expect(await refresh(sigil, f.spa2.id, rt)).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'refresh token was issued to another client') });
    expect(await tokenRequest(sigil, { grant_type: 'refresh_token', client_id: f.spa.id })).toMatchObject({ status: 400, body: oidcError('invalid_request', 'refresh_token is missing') });
    expect(await refresh(sigil, f.spa.id, 'x'.repeat(43))).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'refresh token is invalid') });
    // None of that used the token up.
    const ok = await refresh(sigil, f.spa.id, rt, { scope: 'openid' });
    expect(ok.status).toBe(200);
    expect(ok.body.scope).toBe('openid');
  });

  it('keeps a confidential client\'s token early in its life (no rotation) and authenticates it', async () => {
    const uri = `${f.redirectUri}/web`;
    const auth = { id: f.web.id, secret: f.web.secret };
    const { tokens } = await codeFlow(sigil, f, { clientId: f.web.id, redirectUri: uri, auth });
    const again = await refresh(sigil, f.web.id, String(tokens.refresh_token), {}, auth);
    expect(again.status).toBe(200);
    expect(again.body.refresh_token).toBe(tokens.refresh_token);
    expect(await refresh(sigil, f.web.id, String(tokens.refresh_token))).toMatchObject({ status: 401, body: oidcError('invalid_client', 'client_secret is missing') });
  });

  it("refuses a suspended user's refresh token", async () => {
    const username = `bob_${Math.random().toString(36).slice(2, 6)}`;
    const user = await f.api.post('/api/users', { username, password: f.user.password });
    const { tokens } = await codeFlow(sigil, f, { identifier: username });
    await f.api.patch(`/api/users/${user.body.id}/is-suspended`, { isSuspended: true });
    expect(await refresh(sigil, f.spa.id, String(tokens.refresh_token))).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'refresh token has been revoked') });
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });
});

describe('revocation of refresh tokens', () => {
  it('revokes the family and its opaque access tokens, not the user\'s other sign-ins', async () => {
    const one = await codeFlow(sigil, f);
    const two = await codeFlow(sigil, f);
    const res = await fetch(`${sigil.url}/oidc/token/revocation`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: f.spa.id, token: String(one.tokens.refresh_token) }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await refresh(sigil, f.spa.id, String(one.tokens.refresh_token))).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'refresh token has been revoked') });
    expect((await userinfo(one.tokens.access_token)).status).toBe(401);
    expect((await refresh(sigil, f.spa.id, String(two.tokens.refresh_token))).status).toBe(200);
    expect((await userinfo(two.tokens.access_token)).status).toBe(200);
  });

  it("leaves another client's refresh token alone, with the answer an unknown token gets (RFC 7009 §2.1)", async () => {
    const { tokens } = await codeFlow(sigil, f);
    const res = await fetch(`${sigil.url}/oidc/token/revocation`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: f.spa2.id, token: String(tokens.refresh_token), token_type_hint: 'refresh_token' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await refresh(sigil, f.spa.id, String(tokens.refresh_token))).status).toBe(200);
  });
});

describe('consent', () => {
  const partnerUri = () => `${f.redirectUri}/partner`;
  const partnerAuth = () => ({ id: f.thirdParty.id, secret: f.thirdParty.secret });

  /** A scope the grant does not cover yet, so consent is asked (a covered request needs none). */
  async function toConsentPage(jar: CookieJar, scope: string) {
    const url = `/oidc/auth?${new URLSearchParams({ client_id: f.thirdParty.id, redirect_uri: partnerUri(), response_type: 'code', scope, resource: f.indicator, state: 'p' })}`;
    let step = await browse(sigil, jar, url);
    expect(step.location).toBe(`/sign-in?app_id=${f.thirdParty.id}`);
    const { action, fields } = readForm((await browse(sigil, jar, step.location!)).body);
    step = await postForm(sigil, jar, action, { ...fields, identifier: f.user.username, password: f.user.password });
    step = await browse(sigil, jar, step.location!);
    expect(step.status).toBe(303);
    expect(step.location).toBe(`/consent?app_id=${f.thirdParty.id}`);
    return browse(sigil, jar, step.location!);
  }

  it('shows a third-party app what it asks for; Allow gives a code', async () => {
    const jar = new CookieJar();
    const page = await toConsentPage(jar, 'openid profile email read:orders');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Partner app wants to access your account');
    expect(page.body).toContain('Your email address');
    expect(page.body).toContain('Shop API');
    expect(page.body).toContain('read:orders permission');
    const { action, fields } = readForm(page.body);
    const decided = await postForm(sigil, jar, action, { ...fields, decision: 'allow' });
    const done = await browse(sigil, jar, decided.location!);
    const callback = new URL(done.location!);
    expect(callback.origin + callback.pathname).toBe(partnerUri());
    const tokens = await tokenRequest(sigil, { grant_type: 'authorization_code', redirect_uri: partnerUri(), code: callback.searchParams.get('code')! }, partnerAuth());
    expect(tokens.status).toBe(200);
  });

  it('sends access_denied to the app when the user denies, and consent_required for prompt=none', async () => {
    const jar = new CookieJar();
    const page = await toConsentPage(jar, 'openid phone');
    const { action, fields } = readForm(page.body);
    const decided = await postForm(sigil, jar, action, { ...fields, decision: 'deny' });
    const done = await browse(sigil, jar, decided.location!);
    const callback = new URL(done.location!);
    expect(Object.fromEntries(callback.searchParams)).toEqual({ error: 'access_denied', error_description: 'the user denied the request', state: 'p', iss: `${sigil.url}/oidc` });
    const silent = await browse(sigil, new CookieJar(), `/oidc/auth?${new URLSearchParams({ client_id: f.thirdParty.id, redirect_uri: partnerUri(), response_type: 'code', scope: 'openid', prompt: 'none' })}`);
    expect(new URL(silent.location!).searchParams.get('error')).toBe('login_required');
    const jar2 = new CookieJar();
    await toConsentPage(jar2, 'openid custom_data'); // signed in, consent pending
    const none = await browse(sigil, jar2, `/oidc/auth?${new URLSearchParams({ client_id: f.thirdParty.id, redirect_uri: partnerUri(), response_type: 'code', scope: 'openid custom_data', prompt: 'none' })}`);
    expect(new URL(none.location!).searchParams.get('error')).toBe('consent_required');
    // What the user did allow needs no screen again, even for a third-party app.
    const covered = await browse(sigil, jar2, `/oidc/auth?${new URLSearchParams({ client_id: f.thirdParty.id, redirect_uri: partnerUri(), response_type: 'code', scope: 'openid email', prompt: 'none' })}`);
    expect(new URL(covered.location!).searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });
});

describe('registration', () => {
  it('is off by default, and when enabled creates the user and signs them in', async () => {
    const jar = new CookieJar();
    const auth = `/oidc/auth?${new URLSearchParams({ client_id: f.web.id, redirect_uri: `${f.redirectUri}/web`, response_type: 'code', scope: 'openid profile' })}`;
    await browse(sigil, jar, auth);
    const off = await browse(sigil, jar, `/sign-in?app_id=${f.web.id}&mode=register`);
    expect(off.body).not.toContain('Create account');
    const { fields } = readForm(off.body);
    const refused = await postForm(sigil, jar, `/sign-in/register?app_id=${f.web.id}`, { ...fields, identifier: 'newbie', password: 'long enough pw', confirm: 'long enough pw' });
    expect(refused.location).toBe(`/sign-in?app_id=${f.web.id}&mode=register&error=sign_up_disabled`);

    await db.setting.upsert({ where: { key: 'sign-in-experience' }, create: { key: 'sign-in-experience', value: { signInMode: 'SignInAndRegister' } }, update: { value: { signInMode: 'SignInAndRegister' } } });
    const page = await browse(sigil, jar, `/sign-in?app_id=${f.web.id}`);
    expect(page.body).toContain('Create one');
    const form = readForm((await browse(sigil, jar, `/sign-in?app_id=${f.web.id}&mode=register`)).body);
    expect(form.action).toBe(`/sign-in/register?app_id=${f.web.id}`);
    const short = await postForm(sigil, jar, form.action, { ...form.fields, identifier: 'newbie', password: 'short', confirm: 'short' });
    expect(short.location).toBe(`/sign-in?app_id=${f.web.id}&mode=register&error=invalid_password`);
    const taken = await postForm(sigil, jar, form.action, { ...form.fields, identifier: f.user.username, password: 'long enough pw', confirm: 'long enough pw' });
    expect(taken.location).toBe(`/sign-in?app_id=${f.web.id}&mode=register&error=identifier_in_use`);
    const created = await postForm(sigil, jar, form.action, { ...form.fields, identifier: 'newbie@example.com', password: 'long enough pw', confirm: 'long enough pw' });
    expect(created.location).toMatch(new RegExp(`^${sigil.url}/oidc/auth/[a-z0-9]{21}$`));
    expect(jar.cookies.get('_session')).toMatch(/^[\w-]{43}$/);
    const users = await f.api.get('/api/users?search=newbie%40example.com');
    expect(users.body).toHaveLength(1);
    expect(users.body[0]).toMatchObject({ primaryEmail: 'newbie@example.com', hasPassword: true });
    await db.setting.delete({ where: { key: 'sign-in-experience' } });
  });
});

describe('the access-token claims script on user tokens', () => {
  it('runs with context.user and context.application, with gty of the grant', async () => {
    const script = `const getCustomJwtClaims = async ({ token, context }) => ({ plan: context.user.customData.plan, app: context.application.id, grantType: token.gty, hasGrant: Boolean(token.grantId), sub: 'attacker' });`;
    const put = await f.api.put('/api/configs/jwt-customizer/access-token', { script });
    expect([200, 201]).toContain(put.status);
    try {
      const { tokens } = await codeFlow(sigil, f);
      const r = await refresh(sigil, f.spa.id, String(tokens.refresh_token), { resource: f.indicator });
      const { payload } = await jwtVerify(r.body.access_token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { audience: f.indicator });
      expect(payload).toMatchObject({ plan: 'gold', app: f.spa.id, grantType: 'refresh_token', hasGrant: true, sub: f.user.id });
    } finally {
      await f.api.del('/api/configs/jwt-customizer/access-token');
    }
  });
});
