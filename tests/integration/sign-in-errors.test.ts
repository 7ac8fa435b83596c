// The "Bad input" list, asserted on the wire: error pages that never redirect, error redirects with
// state and iss, token endpoint refusals (redirect_uri mismatch, PKCE, another client's code, replay,
// expiry), userinfo refusals, CSRF on the forms, session fixation, throttling, suspended users.
// Every refusal changes nothing.
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { CookieJar, browse, postForm, readForm, signIn } from '../helpers/sign-in.ts';
import { startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
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

async function authUrl(params: Record<string, string | undefined>, base: Record<string, string> = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const defaults: Record<string, string> = {
    client_id: f.spa.id, redirect_uri: f.redirectUri, response_type: 'code', scope: 'openid profile', state: 'st-123',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...base,
  };
  const url = new URL(`${sigil.url}/oidc/auth`);
  for (const [k, v] of Object.entries({ ...defaults, ...params })) if (v !== undefined) url.searchParams.append(k, v);
  return { url: url.href, verifier };
}

const counts = async () => ({
  interactions: await db.interaction.count(),
  codes: await db.authorizationCode.count(),
  sessions: await db.session.count(),
  grants: await db.grant.count(),
});

/** A completed sign-in's callback for `clientId`, with the verifier to exchange its code. */
async function codeFor(clientId = f.spa.id, redirectUri = f.redirectUri, extra: Record<string, string | undefined> = {}) {
  const jar = new CookieJar();
  const { url, verifier } = await authUrl({ client_id: clientId, redirect_uri: redirectUri, ...extra });
  const { callback } = await signIn(sigil, jar, url, { identifier: f.user.username, password: f.user.password });
  return { code: callback.searchParams.get('code')!, verifier, jar };
}

describe('authorization endpoint: error page, never a redirect', () => {
  const cases: Array<[string, Record<string, string | undefined>, string]> = [
    ['missing client_id', { client_id: undefined }, 'client_id is missing'],
    ['unknown client_id', { client_id: 'no-such-app' }, 'client_id is not a known application'],
    ['missing redirect_uri', { redirect_uri: undefined }, 'redirect_uri is missing'],
    ['an open redirect attempt', { redirect_uri: 'https://evil.example/callback' }, 'redirect_uri is not registered for this application (exact match)'],
  ];
  for (const [name, params, description] of cases) {
    it(`answers ${name} with a 400 page`, async () => {
      const before = await counts();
      const res = await fetch((await authUrl(params)).url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const html = await res.text();
      expect(html).toContain(description);
      expect(html).not.toContain('<script');
      expect(await counts()).toEqual(before);
    });
  }

  it('never redirects to look-alike URIs (prefix, suffix, case, trailing slash, another app\'s)', async () => {
    for (const uri of [`${f.redirectUri}/`, `${f.redirectUri}x`, f.redirectUri.toUpperCase(), f.redirectUri.replace('127.0.0.1', 'localhost'), `${f.redirectUri}?x=1`, `${f.redirectUri}/second`]) {
      const res = await fetch((await authUrl({ redirect_uri: uri })).url, { redirect: 'manual' });
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
    }
  });

  it('answers a repeated redirect_uri, malformed encoding and an oversized body with the page', async () => {
    const { url } = await authUrl({});
    const twice = await fetch(`${url}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, { redirect: 'manual' });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('parameter redirect_uri must not be repeated');
    const malformed = await fetch(`${url}&x=%ZZ`, { redirect: 'manual' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('location')).toBeNull();
    const big = await fetch(`${sigil.url}/oidc/auth`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'x'.repeat(70 * 1024)}`, redirect: 'manual' });
    expect(big.status).toBe(400);
    expect(big.headers.get('location')).toBeNull();
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch((await authUrl({})).url, { method: 'PUT', redirect: 'manual' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });
});

describe('authorization endpoint: errors back to the app with state and iss', () => {
  const iss = () => `${sigil.url}/oidc`;
  const cases: Array<[string, Record<string, string | undefined>, string, string]> = [
    ['missing response_type', { response_type: undefined }, 'invalid_request', 'response_type is missing'],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type', 'only response_type=code is supported'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256 (plain is not supported)'],
    ['PKCE without a method', { code_challenge_method: undefined }, 'invalid_request', 'code_challenge_method must be S256 (plain is not supported)'],
    ['no PKCE from a public client', { code_challenge: undefined, code_challenge_method: undefined }, 'invalid_request', 'PKCE is required for SPA and Native applications: send code_challenge with code_challenge_method=S256'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters)'],
    ['an unknown resource', { resource: 'https://unknown.example/api' }, 'invalid_target', 'resource indicator is missing, or unknown'],
    ['a relative resource', { resource: 'api' }, 'invalid_target', 'resource must be an absolute URI'],
    ['an unsupported prompt', { prompt: 'bogus' }, 'invalid_request', 'prompt bogus is not supported'],
    ['prompt=none with another value', { prompt: 'none login' }, 'invalid_request', 'prompt=none must not be combined with other values'],
    ['prompt=none without a session', { prompt: 'none' }, 'login_required', 'the user is not signed in'],
    ['a request object', { request: 'eyJ.x.y' }, 'request_not_supported', 'request objects are not supported'],
    ['response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request', 'only response_mode=query is supported'],
    ['a bad max_age', { max_age: '-1' }, 'invalid_request', 'max_age must be a non-negative integer (seconds)'],
    ['an oversized nonce', { nonce: 'n'.repeat(513) }, 'invalid_request', 'nonce is too long (at most 512 characters)'],
  ];
  for (const [name, params, error, description] of cases) {
    it(`redirects ${name} as ${error}`, async () => {
      const before = await counts();
      const res = await fetch((await authUrl(params)).url, { redirect: 'manual' });
      expect(res.status).toBe(303);
      const expected = new URL(f.redirectUri);
      for (const [k, v] of Object.entries({ error, error_description: description, state: 'st-123', iss: iss() })) expected.searchParams.append(k, v);
      expect(res.headers.get('location')).toBe(expected.href);
      expect(await counts()).toEqual(before);
    });
  }

  it('refuses the Management API as a resource of a user sign-in', async () => {
    const res = await fetch((await authUrl({ resource: `${sigil.url}/api` })).url, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_target');
  });

  it('drops an oversized state instead of echoing it, and refuses a repeated parameter', async () => {
    const long = await fetch((await authUrl({ state: 's'.repeat(2049) })).url, { redirect: 'manual' });
    const location = new URL(long.headers.get('location')!);
    expect(location.searchParams.get('error_description')).toBe('state is too long (at most 2048 characters)');
    expect(location.searchParams.has('state')).toBe(false);
    const { url } = await authUrl({});
    const repeated = await fetch(`${url}&scope=email`, { redirect: 'manual' });
    expect(new URL(repeated.headers.get('location')!).searchParams.get('error_description')).toBe('parameter scope must not be repeated');
  });
});

describe('token endpoint: authorization_code refusals', () => {
  const exchange = (params: Record<string, string>, auth?: { id: string; secret: string }) =>
    tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa.id, redirect_uri: f.redirectUri, ...params }, auth);

  it('refuses a redirect_uri that differs from the authorization request', async () => {
    const { code, verifier } = await codeFor();
    const r = await exchange({ code, code_verifier: verifier, redirect_uri: `${f.redirectUri}/second` });
    expect(r).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'redirect_uri does not match the authorization request') });
    // A refused request burns nothing: the right request still works.
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
  });

  it('refuses a missing or wrong PKCE verifier', async () => {
    const { code, verifier } = await codeFor();
    expect(await exchange({ code })).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'code_verifier is required (PKCE)') });
    expect(await exchange({ code, code_verifier: oauth.generateRandomCodeVerifier() })).toMatchObject({
      status: 400, body: oidcError('invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge'),
    });
    expect(await exchange({ code, code_verifier: 'too-short' })).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'code_verifier must be 43-128 characters of [A-Za-z0-9._~-]') });
    expect((await exchange({ code, code_verifier: verifier })).status).toBe(200);
  });

  it("refuses another client's code", async () => {
    const { code, verifier } = await codeFor();
    const r = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa2.id, redirect_uri: f.redirectUri, code, code_verifier: verifier });
    expect(r).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'authorization code was issued to another client') });
  });

  it('refuses a replayed code and revokes the access token its first exchange issued', async () => {
    const { code, verifier } = await codeFor();
    const first = await exchange({ code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const me = () => fetch(`${sigil.url}/oidc/me`, { headers: { authorization: `Bearer ${first.body.access_token}` } });
    expect((await me()).status).toBe(200);
    const replay = await exchange({ code, code_verifier: verifier });
    expect(replay).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'authorization code has already been used; the tokens it issued are revoked') });
    const after = await me();
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="invalid_token", error_description="the access token is revoked"');
  });

  it('refuses an expired code', async () => {
    const { code, verifier } = await codeFor();
    await db.authorizationCode.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await exchange({ code, code_verifier: verifier })).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'authorization code has expired') });
  });

  it('refuses unknown codes and missing parameters', async () => {
    expect(await exchange({ code: 'x'.repeat(43), code_verifier: oauth.generateRandomCodeVerifier() })).toMatchObject({ status: 400, body: oidcError('invalid_grant', 'authorization code is invalid') });
    expect(await exchange({})).toMatchObject({ status: 400, body: oidcError('invalid_request', 'code is missing') });
    const noRedirect = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa.id, code: 'abc' });
    expect(noRedirect).toMatchObject({ status: 400, body: oidcError('invalid_request', 'redirect_uri is missing') });
  });

  it('authenticates confidential clients: Basic with a matching body client_id, never client_id alone', async () => {
    const uri = `${f.redirectUri}/web`;
    const { code } = await codeFor(f.web.id, uri, { code_challenge: undefined, code_challenge_method: undefined });
    const alone = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.web.id, redirect_uri: uri, code });
    expect(alone).toMatchObject({ status: 401, body: oidcError('invalid_client', 'client_secret is missing') });
    expect(alone.headers.get('www-authenticate')).toBe('Basic realm="Sigil", error="invalid_client"');
    const mismatch = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa.id, redirect_uri: uri, code }, { id: f.web.id, secret: f.web.secret });
    expect(mismatch).toMatchObject({ status: 400, body: oidcError('invalid_request', 'client_id in the body does not match the Authorization header') });
    const ok = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.web.id, redirect_uri: uri, code }, { id: f.web.id, secret: f.web.secret });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
  });

  it('keeps public clients to the grants made for them', async () => {
    const r = await tokenRequest(sigil, { grant_type: 'client_credentials', client_id: f.spa.id });
    expect(r).toMatchObject({ status: 401, body: oidcError('invalid_client', 'client_secret is missing') });
    const m2m = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.m2m.id, code: 'x', redirect_uri: f.redirectUri });
    expect(m2m).toMatchObject({ status: 401, body: oidcError('invalid_client', 'client_secret is missing') });
  });
});

describe('userinfo refusals', () => {
  it('refuses no token, a resource JWT and an M2M token with 401 invalid_token', async () => {
    const none = await fetch(`${sigil.url}/oidc/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual(oidcError('invalid_token', 'no access token was sent'));
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="invalid_token", error_description="no access token was sent"');

    const { code, verifier } = await codeFor(f.spa.id, f.redirectUri, { resource: f.indicator, scope: 'openid read:orders' });
    const tokens = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: f.spa.id, redirect_uri: f.redirectUri, code, code_verifier: verifier, resource: f.indicator });
    expect(tokens.status).toBe(200);
    expect(tokens.body.access_token.split('.')).toHaveLength(3);
    const jwt = await fetch(`${sigil.url}/oidc/me`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(jwt.status).toBe(401);
    expect((await jwt.json()).error_description).toBe('this access token is for an API resource; use the access token issued without a resource');

    const m2m = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all' }, { id: 'bootstrap-admin', secret: 'bootstrap-secret-for-tests-0123456789' });
    const machine = await fetch(`${sigil.url}/oidc/me`, { headers: { authorization: `Bearer ${m2m.body.access_token}` } });
    expect(machine.status).toBe(401);
  });
});

describe('sign-in form', () => {
  async function formPage(jar: CookieJar, params: Record<string, string> = {}) {
    const { url } = await authUrl(params);
    await browse(sigil, jar, url);
    const page = await browse(sigil, jar, `/sign-in?app_id=${f.spa.id}`);
    return readForm(page.body);
  }
  const credentials = () => ({ identifier: f.user.username, password: f.user.password });

  it('refuses cross-site posts, forged tokens and interactions of another browser (CSRF)', async () => {
    const jar = new CookieJar();
    const { action, fields } = await formPage(jar);
    const before = await counts();
    const attempts = [
      postForm(sigil, jar, action, { ...fields, ...credentials() }, {}),
      postForm(sigil, jar, action, { ...fields, ...credentials() }, { origin: 'https://evil.example' }),
      postForm(sigil, jar, action, { ...fields, ...credentials() }, { 'sec-fetch-site': 'cross-site', origin: sigil.url }),
      postForm(sigil, jar, action, { ...fields, csrf: 'x'.repeat(43), ...credentials() }),
      postForm(sigil, new CookieJar(), action, { ...fields, ...credentials() }),
    ];
    for (const step of await Promise.all(attempts)) {
      expect(step.status).toBe(303);
      expect(step.location).toBe(`/sign-in?app_id=${f.spa.id}&error=form_expired`);
      expect(step.res.headers.getSetCookie().some((c) => c.startsWith('_session'))).toBe(false);
    }
    expect(await counts()).toEqual(before);
  });

  it('starts a new session at every sign-in (no fixation)', async () => {
    const jar = new CookieJar();
    jar.cookies.set('_session', 'a'.repeat(43));
    jar.cookies.set('_session.sig', 'b'.repeat(43));
    const { action, fields } = await formPage(jar);
    await postForm(sigil, jar, action, { ...fields, ...credentials() });
    const first = jar.cookies.get('_session');
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(first).not.toBe('a'.repeat(43));
    const again = await formPage(jar, { prompt: 'login' }); // a live session would skip the page
    await postForm(sigil, jar, again.action, { ...again.fields, ...credentials() });
    expect(jar.cookies.get('_session')).not.toBe(first);
  });

  it('gives one message for a wrong password and an unknown identifier, then throttles', async () => {
    const jar = new CookieJar();
    const { action, fields } = await formPage(jar);
    const identifier = `throttled_${Math.random().toString(36).slice(2, 6)}`;
    await f.api.post('/api/users', { username: identifier, password: f.user.password });
    const wrong = await postForm(sigil, jar, action, { ...fields, identifier, password: 'wrong password' });
    const unknown = await postForm(sigil, jar, action, { ...fields, identifier: 'nobody_here', password: 'wrong password' });
    expect(wrong.location).toBe(`/sign-in?app_id=${f.spa.id}&error=invalid_credentials`);
    expect(unknown.location).toBe(wrong.location);
    const page = await browse(sigil, jar, wrong.location!);
    expect(page.body).toContain('Incorrect username, email or password.');
    for (let i = 0; i < 4; i++) await postForm(sigil, jar, action, { ...fields, identifier, password: 'wrong password' });
    const locked = await postForm(sigil, jar, action, { ...fields, identifier, password: f.user.password });
    expect(locked.location).toMatch(new RegExp(`^/sign-in\\?app_id=${f.spa.id}&error=throttled&retry=\\d+$`));
    expect(locked.res.headers.getSetCookie().some((c) => c.startsWith('_session'))).toBe(false);
    expect((await browse(sigil, jar, locked.location!)).body).toMatch(/Too many failed attempts. Try again in \d+ seconds./);
  });

  it('refuses a suspended user, and suspension ends the sessions they hold', async () => {
    const username = `suspended_${Math.random().toString(36).slice(2, 6)}`;
    const user = await f.api.post('/api/users', { username, password: f.user.password });
    const jar = new CookieJar();
    const { url } = await authUrl({});
    await signIn(sigil, jar, url, { identifier: username, password: f.user.password });
    await f.api.patch(`/api/users/${user.body.id}/is-suspended`, { isSuspended: true });
    // The session no longer signs anyone in: back to the sign-in page.
    const again = await browse(sigil, jar, (await authUrl({})).url);
    expect(again.location).toBe(`/sign-in?app_id=${f.spa.id}`);
    const { action, fields } = readForm((await browse(sigil, jar, again.location!)).body);
    const refused = await postForm(sigil, jar, action, { ...fields, identifier: username, password: f.user.password });
    expect(refused.location).toBe(`/sign-in?app_id=${f.spa.id}&error=suspended`);
  });

  it('records sign-in successes and failures with user, app and IP', async () => {
    const logs = await f.api.get(`/api/logs?logKey=Interaction.SignIn.Submit&applicationId=${f.spa.id}&page_size=100`);
    const payloads = logs.body.map((l: { payload: Record<string, unknown> }) => l.payload);
    expect(payloads).toContainEqual(expect.objectContaining({ result: 'Success', userId: f.user.id, applicationId: f.spa.id, ip: expect.any(String), interactionId: expect.any(String) }));
    expect(payloads).toContainEqual(expect.objectContaining({ result: 'Error', error: { code: 'invalid_credentials' }, applicationId: f.spa.id }));
  });
});
