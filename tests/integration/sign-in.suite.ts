// End-user sign-in through the real pages, over HTTP: the authorization code flow with oauth4webapi's strict
// checks (PKCE, state, iss, nonce, ID token signature and claims, userinfo), single sign-on, and what the
// pages and cookies look like. Runs through both fronts (lean node:http and plain `next start`).
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, browse, postForm, readForm, signIn } from '../helpers/sign-in.ts';
import { startSigil, type Mode, type Sigil } from '../helpers/sigil.ts';
import { codeFlow, refresh } from './sign-in.flows.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

export function signInSuite(mode: Mode) {
  describe(`end-user sign-in (${mode})`, () => {
    let sigil: Sigil;
    let f: SignInFixture;
    let as: oauth.AuthorizationServer;

    beforeAll(async () => {
      sigil = await startSigil({ mode });
      f = await signInFixture(sigil);
      const issuer = new URL(`${sigil.url}/oidc`);
      as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    });
    afterAll(async () => sigil?.stop());

    async function authorize(clientId: string, redirectUri: string, extra: Record<string, string> = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint!);
      for (const [k, v] of Object.entries({
        client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile email roles custom_data',
        state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
      })) url.searchParams.set(k, v);
      return { url: url.href, verifier, state, nonce };
    }

    it('advertises the code flow in discovery', () => {
      expect(as).toMatchObject({
        authorization_endpoint: `${sigil.url}/oidc/auth`,
        userinfo_endpoint: `${sigil.url}/oidc/me`,
        end_session_endpoint: `${sigil.url}/oidc/session/end`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        subject_types_supported: ['public'],
        authorization_response_iss_parameter_supported: true,
      });
      expect(as.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
      expect(as.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'profile', 'email', 'phone', 'custom_data', 'identities', 'roles']));
      expect(as.id_token_signing_alg_values_supported).toContain('ES384');
      expect(as.token_endpoint_auth_methods_supported).toContain('none');
    });

    it('signs a user in with oauth4webapi: PKCE, state, iss, nonce, ID token, userinfo', async () => {
      const client: oauth.Client = { client_id: f.spa.id, token_endpoint_auth_method: 'none' };
      const jar = new CookieJar();
      const request = await authorize(f.spa.id, f.redirectUri);
      const first = await browse(sigil, jar, request.url);
      expect(first.status).toBe(303);
      expect(first.location).toBe(`/sign-in?app_id=${f.spa.id}`);
      const interaction = jar.raw.get('_interaction')!;
      expect(interaction).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600$/);
      expect(JSON.parse(decodeURIComponent(jar.cookies.get('_interaction')!))).toEqual({ [f.spa.id]: expect.stringMatching(/^[a-z0-9]{21}$/) });

      const { callback, steps } = await signIn(sigil, jar, request.url, { identifier: f.user.username, password: f.user.password });
      expect(callback.origin + callback.pathname).toBe(f.redirectUri);
      // The sign-in form post: a fresh session in `_session` and `_session.sig`, then back to the protocol layer.
      const posted = steps.find((s) => s.res.headers.getSetCookie().some((c) => c.startsWith('_session=')))!;
      expect(posted.status).toBe(303);
      expect(posted.location).toMatch(new RegExp(`^${sigil.url}/oidc/auth/[a-z0-9]{21}$`));
      expect(jar.raw.get('_session')).toMatch(/^_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(1209600|12095\d\d)$/);
      expect(jar.raw.get('_session.sig')).toMatch(/^_session\.sig=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
      expect(steps.at(-1)!.status).toBe(303);

      const params = oauth.validateAuthResponse(as, client, callback, request.state);
      expect(callback.searchParams.get('iss')).toBe(`${sigil.url}/oidc`);
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, f.redirectUri, request.verifier, insecure);
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: request.nonce, requireIdToken: true });
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.scope).toBe('openid profile email roles custom_data');
      expect(tokens.refresh_token).toBeUndefined(); // no offline_access
      expect(tokens.access_token).toMatch(/^[\w-]{43}$/); // opaque: userinfo only

      const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), { issuer: as.issuer, audience: f.spa.id });
      expect(protectedHeader).toMatchObject({ alg: 'ES384', typ: 'JWT', kid: expect.any(String) });
      expect(payload).toMatchObject({
        sub: f.user.id, nonce: request.nonce, name: 'Alice Example', username: f.user.username, picture: null,
        email: f.user.email, email_verified: true, roles: [f.role.name], at_hash: expect.any(String), auth_time: expect.any(Number),
      });
      expect(payload.exp! - payload.iat!).toBe(3600);
      expect(payload.custom_data).toBeUndefined(); // userinfo only, as Logto

      const info = await oauth.processUserInfoResponse(as, client, f.user.id, await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
      expect(info).toMatchObject({ sub: f.user.id, email: f.user.email, username: f.user.username, custom_data: { plan: 'gold' }, roles: [f.role.name] });
      expect(info.phone_number).toBeUndefined();
    });

    it('signs the same person in to a second app without the password (SSO), and accepts email as identifier', async () => {
      const jar = new CookieJar();
      const one = await authorize(f.spa.id, f.redirectUri);
      await signIn(sigil, jar, one.url, { identifier: f.user.email.toUpperCase(), password: f.user.password });
      const two = await authorize(f.spa2.id, `${f.redirectUri}/second`);
      const first = await browse(sigil, jar, two.url);
      expect(first.status).toBe(303);
      expect(first.location).toBe(`/consent?app_id=${f.spa2.id}`); // first-party: consented silently next
      const { callback } = await signIn(sigil, jar, two.url, { identifier: 'unused', password: 'unused' });
      expect(callback.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
      // A third request for the first app: the grant covers it, so the code comes back at once.
      const again = await authorize(f.spa.id, f.redirectUri);
      const direct = await browse(sigil, jar, again.url);
      expect(direct.status).toBe(303);
      expect(new URL(direct.location!).searchParams.get('code')).toMatch(/^[\w-]{43}$/);
      expect(new URL(direct.location!).searchParams.get('state')).toBe(again.state);
    });

    it('serves the sign-in page without client JavaScript, framing or caching', async () => {
      const jar = new CookieJar();
      const request = await authorize(f.spa.id, f.redirectUri, { login_hint: 'alice@example.com' });
      await browse(sigil, jar, request.url);
      const page = await browse(sigil, jar, `/sign-in?app_id=${f.spa.id}`);
      expect(page.status).toBe(200);
      expect(page.res.headers.get('x-frame-options')).toBe('DENY');
      expect(page.res.headers.get('cache-control')).toContain('no-store');
      expect(page.body).toContain('Username or email');
      expect(page.body).toContain('Password');
      expect(page.body).toMatch(/<button[^>]*type="submit"[^>]*>Sign in<\/button>/);
      expect(page.body).toContain('value="alice@example.com"');
      expect(page.body).toContain('Shop SPA');
      expect(page.body).not.toContain('Create one'); // sign-up is off by default
    });

    it('issues a refresh token only with prompt=consent, rotates it, and mints resource JWTs with the role scopes', async () => {
      const { tokens } = await codeFlow(sigil, f);
      expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
      expect(tokens.scope).toBe('openid offline_access profile');
      const rotated = await refresh(sigil, f.spa.id, String(tokens.refresh_token), { resource: f.indicator });
      expect(rotated.status).toBe(200);
      expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token); // public clients always rotate
      expect(rotated.body.scope).toBe('read:orders write:orders'); // delete:orders: no role grants it
      const jwks = createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`));
      const { payload, protectedHeader } = await jwtVerify(rotated.body.access_token, jwks, { issuer: `${sigil.url}/oidc`, audience: f.indicator, typ: 'at+jwt' });
      expect(protectedHeader.typ).toBe('at+jwt');
      expect(payload).toMatchObject({ sub: f.user.id, client_id: f.spa.id, scope: 'read:orders write:orders' });
      const id = await jwtVerify(rotated.body.id_token, jwks, { issuer: `${sigil.url}/oidc`, audience: f.spa.id });
      expect(id.payload.sub).toBe(f.user.id);
      // The consumed token is refused outside the grace window... (see sign-in-tokens.test.ts); the new one works.
      expect((await refresh(sigil, f.spa.id, rotated.body.refresh_token)).status).toBe(200);

      const login = await codeFlow(sigil, f, { prompt: 'login' });
      expect(login.tokens.refresh_token).toBeUndefined();
      expect(login.tokens.scope).toBe('openid profile');
    });

    it('ends the session only after a confirmation POST, then redirects to the registered post-logout URI', async () => {
      const { jar } = await codeFlow(sigil, f);
      const endUrl = `/oidc/session/end?client_id=${f.spa.id}&post_logout_redirect_uri=${encodeURIComponent(f.postLogoutRedirectUri)}&state=bye`;
      const page = await browse(sigil, jar, endUrl);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Sign out');
      // The GET alone signed nobody out: the session still signs in without a password.
      const sso = await browse(sigil, jar, `/oidc/auth?client_id=${f.spa.id}&redirect_uri=${encodeURIComponent(f.redirectUri)}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
      expect(sso.location).not.toMatch(/^\/sign-in/);
      const { action, fields } = readForm(page.body);
      expect(action).toBe(`${sigil.url}/oidc/session/end/confirm`);
      const confirmed = await postForm(sigil, jar, action, fields);
      expect(confirmed.status).toBe(303);
      expect(confirmed.location).toBe(`${f.postLogoutRedirectUri}?state=bye`);
      expect(jar.cookies.has('_session')).toBe(false);
      const after = await browse(sigil, jar, `/oidc/auth?client_id=${f.spa.id}&redirect_uri=${encodeURIComponent(f.redirectUri)}&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`);
      expect(after.location).toBe(`/sign-in?app_id=${f.spa.id}`);
      const unregistered = await browse(sigil, jar, `/oidc/session/end?client_id=${f.spa.id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`);
      expect(unregistered.status).toBe(400);
      expect(unregistered.location).toBeNull();
    });

    it('answers CORS for the app origins on /oidc/token, /oidc/me and /oidc/token/revocation only', async () => {
      const { tokens } = await codeFlow(sigil, f);
      const origin = 'https://shop.example';
      for (const path of ['/oidc/token', '/oidc/me', '/oidc/token/revocation']) {
        const pre = await fetch(`${sigil.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
        expect(pre.status, path).toBe(204);
        expect(pre.headers.get('access-control-allow-origin'), path).toBe(origin);
      }
      const me = await fetch(`${sigil.url}/oidc/me`, { headers: { origin, authorization: `Bearer ${tokens.access_token}` } });
      expect(me.headers.get('access-control-allow-origin')).toBe(origin);
      const redirectOrigin = new URL(f.redirectUri).origin;
      const fromRedirect = await fetch(`${sigil.url}/oidc/token`, {
        method: 'POST', headers: { origin: redirectOrigin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: f.spa.id, refresh_token: String(tokens.refresh_token) }).toString(),
      });
      expect(fromRedirect.status).toBe(200);
      expect(fromRedirect.headers.get('access-control-allow-origin')).toBe(redirectOrigin);
      const other = await fetch(`${sigil.url}/oidc/me`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${tokens.access_token}` } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const elsewhere = await fetch(`${sigil.url}/oidc/token/introspection`, { method: 'OPTIONS', headers: { origin } });
      expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}