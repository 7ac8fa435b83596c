// Logto's Experience API over HTTP, as Logto's sign-in app (and Logto's own integration tests) drive it:
// /oidc/auth -> PUT /api/experience -> verification -> identification -> submit -> /oidc/auth/:uid ->
// /consent -> /oidc/auth/:uid -> the app's redirect URI with a code that the token endpoint exchanges.
// Every refusal is asserted with its status and Logto error code, and changes nothing.
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, browse } from '../helpers/sign-in.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

describe('Experience API', () => {
  let sigil: Sigil;
  let f: SignInFixture;

  beforeAll(async () => {
    sigil = await startSigil({ mode: 'lean' });
    f = await signInFixture(sigil);
  });
  afterAll(async () => sigil?.stop());

  /** Start an authorization request for the fixture SPA; the jar then holds `_interaction`. */
  async function begin(extra: Record<string, string> = {}) {
    const jar = new CookieJar();
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(`${sigil.url}/oidc/auth`);
    const params = {
      client_id: f.spa.id, redirect_uri: f.redirectUri, response_type: 'code', scope: 'openid offline_access profile', state: 'st-1',
      prompt: 'consent', code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const first = await browse(sigil, jar, url.href);
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/sign-in?app_id=${f.spa.id}`);
    return { jar, verifier };
  }

  const call = (jar: CookieJar, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    browse(sigil, jar, path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((s) => ({ ...s, json: s.body ? JSON.parse(s.body) : undefined }));

  /** From submit's redirectTo to the code: /oidc/auth/:uid -> /consent (first-party: silent) -> code. */
  async function finish(jar: CookieJar, redirectTo: string, verifier: string) {
    expect(redirectTo).toMatch(new RegExp(`^${sigil.url}/oidc/auth/[a-z0-9]{21}$`));
    const resume = await browse(sigil, jar, redirectTo);
    expect(resume).toMatchObject({ status: 303, location: `/consent?app_id=${f.spa.id}` });
    const consent = await browse(sigil, jar, resume.location!);
    expect(consent.location).toBe(redirectTo);
    const done = await browse(sigil, jar, consent.location!);
    expect(done.status).toBe(303);
    const callback = new URL(done.location!);
    expect(`${callback.origin}${callback.pathname}`).toBe(f.redirectUri);
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.get('iss')).toBe(`${sigil.url}/oidc`);
    const token = await fetch(`${sigil.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: f.spa.id, code: callback.searchParams.get('code')!, code_verifier: verifier, redirect_uri: f.redirectUri }),
    });
    expect(token.status).toBe(200);
    const body = (await token.json()) as { id_token: string; refresh_token?: string };
    return JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString()) as { sub: string };
  }

  it('signs a user in by password: verification, identification, submit, code', async () => {
    const { jar, verifier } = await begin();
    expect((await call(jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn' })).status).toBe(204);
    const verified = await call(jar, 'POST', '/api/experience/verification/password', { identifier: { type: 'username', value: f.user.username }, password: f.user.password });
    expect(verified.status).toBe(200);
    expect(verified.json.verificationId).toMatch(/^[a-z0-9]{21}$/);
    expect((await call(jar, 'POST', '/api/experience/identification', { verificationId: verified.json.verificationId })).status).toBe(204);
    const submitted = await call(jar, 'POST', '/api/experience/submit');
    expect(submitted.status).toBe(200);
    expect(submitted.res.headers.getSetCookie().some((c) => c.startsWith('_session.sig=') && /HttpOnly/.test(c) && /SameSite=Lax/.test(c))).toBe(true);
    const claims = await finish(jar, submitted.json.redirectTo, verifier);
    expect(claims.sub).toBe(f.user.id);
  });

  it('refuses a wrong password with 422 session.invalid_credentials, and identification without a verification', async () => {
    const { jar } = await begin();
    await call(jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn' });
    const wrong = await call(jar, 'POST', '/api/experience/verification/password', { identifier: { type: 'username', value: f.user.username }, password: 'not the password' });
    expect(wrong).toMatchObject({ status: 422, json: { code: 'session.invalid_credentials', message: expect.any(String) } });
    const unknown = await call(jar, 'POST', '/api/experience/verification/password', { identifier: { type: 'username', value: 'nobody_here' }, password: 'whatever' });
    expect(unknown.json).toEqual(wrong.json);
    expect((await call(jar, 'POST', '/api/experience/identification', { verificationId: 'aaaaaaaaaaaaaaaaaaaaa' })).json.code).toBe('session.verification_session_not_found');
    expect((await call(jar, 'POST', '/api/experience/submit')).json.code).toBe('session.identifier_not_found');
  });

  it('registers only when sign-up is enabled, then signs the new user in (PostRegister)', async () => {
    const { jar, verifier } = await begin();
    const refused = await call(jar, 'PUT', '/api/experience', { interactionEvent: 'Register' });
    expect(refused).toMatchObject({ status: 403, json: { code: 'auth.forbidden' } });
    const patched = await f.api.patch('/api/sign-in-exp', { signInMode: 'SignInAndRegister', signUp: { identifiers: ['username'] } });
    expect(patched).toMatchObject({ status: 200, body: { signInMode: 'SignInAndRegister', passwordPolicy: { length: { min: 8, max: 256 } } } });
    expect((await call(jar, 'PUT', '/api/experience', { interactionEvent: 'Register' })).status).toBe(204);
    const taken = await call(jar, 'POST', '/api/experience/profile', { type: 'username', value: f.user.username });
    expect(taken).toMatchObject({ status: 422, json: { code: 'user.username_already_in_use' } });
    const short = await call(jar, 'POST', '/api/experience/profile', { type: 'password', value: 'short' });
    expect(short).toMatchObject({ status: 422, json: { code: 'password.rejected' } });
    const username = `bob_${Math.random().toString(36).slice(2, 8)}`;
    expect((await call(jar, 'POST', '/api/experience/profile', { type: 'username', value: username })).status).toBe(204);
    expect((await call(jar, 'POST', '/api/experience/profile', { type: 'password', value: 'a long enough password' })).status).toBe(204);
    expect((await call(jar, 'POST', '/api/experience/identification', {})).status).toBe(201);
    const submitted = await call(jar, 'POST', '/api/experience/submit');
    const claims = await finish(jar, submitted.json.redirectTo, verifier);
    const user = await f.api.get(`/api/users/${claims.sub}`);
    expect(user.body.username).toBe(username);
    expect(JSON.stringify(user.body)).not.toContain('a long enough password');
    // The password typed at registration signs the new user in.
    const again = await begin();
    await call(again.jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn' });
    const check = await call(again.jar, 'POST', '/api/experience/verification/password', { identifier: { type: 'username', value: username }, password: 'a long enough password' });
    expect(check.status).toBe(200);
    await f.api.patch('/api/sign-in-exp', { signInMode: 'SignIn' });
  });

  it('answers bad input with 4xx naming the field, and nothing without the interaction cookie', async () => {
    const { jar } = await begin();
    const noCookie = new CookieJar();
    expect((await call(noCookie, 'PUT', '/api/experience', { interactionEvent: 'SignIn' })).json).toMatchObject({ code: 'session.not_found' });
    expect((await call(jar, 'POST', '/api/experience/submit')).json.code).toBe('session.interaction_not_found');
    const badEvent = await call(jar, 'PUT', '/api/experience', { interactionEvent: 'Hack' });
    expect(badEvent.status).toBe(400);
    expect(badEvent.json.message).toContain('interactionEvent');
    const extra = await call(jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn', admin: true });
    expect(extra.json.message).toContain('admin');
    const notJson = await browse(sigil, jar, '/api/experience', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: '{"interactionEvent":"SignIn"}' });
    expect(notJson.status).toBe(415);
    const foreign = await call(jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn' }, { origin: 'https://evil.example' });
    expect(foreign).toMatchObject({ status: 403, json: { code: 'auth.forbidden' } });
    expect((await call(jar, 'GET', '/api/experience/submit')).status).toBe(405);
    expect((await call(jar, 'POST', '/api/experience/nope', {})).status).toBe(404);
  });

  it('survives fuzzed bodies on every route: 4xx JSON, never 500', async () => {
    const { jar } = await begin();
    await call(jar, 'PUT', '/api/experience', { interactionEvent: 'SignIn' });
    const routes: Array<[string, string]> = [
      ['PUT', '/api/experience'], ['PUT', '/api/experience/interaction-event'], ['POST', '/api/experience/verification/password'],
      ['POST', '/api/experience/verification/new-password-identity'], ['POST', '/api/experience/profile'],
      ['POST', '/api/experience/identification'], ['POST', '/api/experience/submit'],
    ];
    const bodies: unknown[] = [null, [], 'x', 42, { identifier: 'x' }, { identifier: { type: 'username', value: 'a'.repeat(5000) }, password: 'p' },
      { identifier: { type: 'username', value: '\u0000' }, password: '\u0000' }, { verificationId: { $ne: 1 } }, { type: 'password', value: 'x'.repeat(300) }];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const res = await call(jar, method, path, body);
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.json.code).toEqual(expect.any(String));
      }
    }
    expect(sigil.logs()).not.toContain('experience api request failed');
  });
});
