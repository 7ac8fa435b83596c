// The protocol suite. It runs twice: through the lean Node front and through plain `next start`.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, setupM2M, startSigil, tokenRequest, type Mode, type Sigil } from '../helpers/sigil.ts';

export function protocolSuite(mode: Mode) {
  describe(`OAuth protocol (${mode})`, () => {
    let sigil: Sigil;
    let m2m: Awaited<ReturnType<typeof setupM2M>>;

    beforeAll(async () => {
      sigil = await startSigil({ mode });
      m2m = await setupM2M(sigil);
    });
    afterAll(async () => sigil?.stop());

    it('serves discovery listing only what is implemented', async () => {
      for (const path of ['/oidc/.well-known/openid-configuration', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/oidc']) {
        const res = await fetch(`${sigil.url}${path}`);
        expect(res.status).toBe(200);
        const body = await res.json();
        expect(body).toMatchObject({
          issuer: `${sigil.url}/oidc`,
          token_endpoint: `${sigil.url}/oidc/token`,
          jwks_uri: `${sigil.url}/oidc/jwks`,
          introspection_endpoint: `${sigil.url}/oidc/token/introspection`,
          revocation_endpoint: `${sigil.url}/oidc/token/revocation`,
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
        });
        expect(body.grant_types_supported).toContain('client_credentials');
        expect(body.authorization_endpoint).toBe(`${sigil.url}/oidc/auth`);
      }
    });

    it('publishes public keys only, with caching headers', async () => {
      const res = await fetch(`${sigil.url}/oidc/jwks`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const { keys } = await res.json();
      expect(keys.length).toBeGreaterThanOrEqual(1);
      for (const k of keys) {
        expect(k).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' }); // Logto's default key
        expect(k.kid).toMatch(/^[\w-]{43}$/);
        expect(k.d).toBeUndefined();
      }
    });

    it("issues a token exactly as the M2M guide's Node example does", async () => {
      // The seed's example, verbatim apart from the endpoint and credentials.
      const res = await fetch(`${sigil.url}/oidc/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from(`${m2m.app.id}:${m2m.app.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products write:products' }).toString(),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
      expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'read:products write:products' });

      const header = decodeProtectedHeader(body.access_token);
      expect(header).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });
      const jwks = createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`));
      const { payload } = await jwtVerify(body.access_token, jwks, { issuer: `${sigil.url}/oidc`, audience: m2m.indicator, typ: 'at+jwt' });
      expect(payload).toMatchObject({ sub: m2m.app.id, client_id: m2m.app.id, aud: m2m.indicator, scope: 'read:products write:products' });
      expect(payload.exp! - payload.iat!).toBe(3600);
      expect(typeof payload.jti).toBe('string');
    });

    it('filters scopes to what the roles grant, never rejecting for that', async () => {
      const r = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products delete:products unknown' }, m2m.app);
      expect(r.status).toBe(200);
      expect(r.body.scope).toBe('read:products');
      const none = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'delete:products' }, m2m.app);
      expect(none.status).toBe(200);
      expect(none.body.scope).toBeUndefined();
      const { payload } = await jwtVerify(none.body.access_token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)));
      expect(payload.scope).toBeUndefined();
    });

    it('accepts client_secret_post', async () => {
      const r = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products', client_id: m2m.app.id, client_secret: m2m.app.secret });
      expect(r.status).toBe(200);
      expect(r.body.scope).toBe('read:products');
    });

    it('answers invalid_target for unknown, missing-without-default and multiple resources', async () => {
      const unknown = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: 'https://nope.example' }, m2m.app);
      expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid_target', error_description: 'resource indicator is missing, or unknown' } });
      const missing = await tokenRequest(sigil, { grant_type: 'client_credentials' }, m2m.app);
      expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_target', error_description: 'both `resource` and `organization_id` are not provided' } }); // Logto's texts
      const body = new URLSearchParams([['grant_type', 'client_credentials'], ['resource', m2m.indicator], ['resource', 'https://other.example']]);
      const res = await fetch(`${sigil.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(m2m.app.id, m2m.app.secret) }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_target', error_description: 'only one resource indicator may be requested', code: 'oidc.invalid_target', message: 'only one resource indicator may be requested' });
    });

    it('answers invalid_client with 401 and WWW-Authenticate', async () => {
      for (const auth of [{ id: m2m.app.id, secret: 'wrong' }, { id: 'nobody', secret: 'x' }]) {
        const r = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, auth);
        expect(r.status).toBe(401);
        expect(r.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed', code: 'oidc.invalid_client', message: 'client authentication failed' });
        expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="Sigil"/);
        expect(r.headers.get('cache-control')).toBe('no-store');
      }
      const none = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator });
      expect(none).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'client authentication is required' } });
    });

    it('refuses an expired secret and accepts a named one before expiry', async () => {
      const named = await m2m.api.post(`/api/applications/${m2m.app.id}/secrets`, { name: 'short-lived', expiresAt: Date.now() + 1500 });
      expect(named.status).toBe(201);
      const ok = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, { id: m2m.app.id, secret: named.body.value });
      expect(ok.status).toBe(200);
      await new Promise((r) => setTimeout(r, 1700));
      const expired = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, { id: m2m.app.id, secret: named.body.value });
      expect(expired).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'client secret has expired' } });
    });

    it('answers unsupported_grant_type and invalid_request exactly', async () => {
      const r = await tokenRequest(sigil, { grant_type: 'password' }, m2m.app);
      expect(r).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type password is not supported' } });
      const missing = await tokenRequest(sigil, {}, m2m.app);
      expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'grant_type is missing' } });
      const get = await fetch(`${sigil.url}/oidc/token`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect(await get.json()).toEqual({ error: 'invalid_request', error_description: 'method not allowed; use POST', code: 'oidc.invalid_request', message: 'method not allowed; use POST' });
      const json = await fetch(`${sigil.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
      expect(json.status).toBe(400);
      expect(await json.json()).toEqual({ error: 'invalid_request', error_description: 'content type must be application/x-www-form-urlencoded', code: 'oidc.invalid_request', message: 'content type must be application/x-www-form-urlencoded' });
      const repeated = await fetch(`${sigil.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&grant_type=client_credentials' });
      expect(await repeated.json()).toEqual({ error: 'invalid_request', error_description: 'parameter grant_type must not be repeated', code: 'oidc.invalid_request', message: 'parameter grant_type must not be repeated' });
    });

    it('opaque token: introspection -> revocation -> inactive', async () => {
      const opaque = await setupM2M(sigil, { tokenFormat: 'opaque' });
      const t = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: opaque.indicator, scope: 'read:products' }, opaque.app);
      expect(t.status).toBe(200);
      expect(t.body.access_token).toMatch(/^[\w-]{43}$/);
      const introspect = async () => {
        const res = await fetch(`${sigil.url}/oidc/token/introspection`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(opaque.app.id, opaque.app.secret) },
          body: new URLSearchParams({ token: t.body.access_token }),
        });
        expect(res.status).toBe(200);
        return res.json();
      };
      expect(await introspect()).toMatchObject({ active: true, client_id: opaque.app.id, sub: opaque.app.id, aud: opaque.indicator, scope: 'read:products', token_type: 'Bearer', iss: `${sigil.url}/oidc` });
      const revoke = await fetch(`${sigil.url}/oidc/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(opaque.app.id, opaque.app.secret) },
        body: new URLSearchParams({ token: t.body.access_token }),
      });
      expect(revoke.status).toBe(200);
      expect(await introspect()).toEqual({ active: false });
    });

    it('introspects JWTs it signed, and revokes them by jti', async () => {
      const t = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
      const call = (path: string, token: string) =>
        fetch(`${sigil.url}/oidc/token/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(m2m.app.id, m2m.app.secret) }, body: new URLSearchParams({ token }) });
      expect(await (await call('introspection', t.body.access_token)).json()).toMatchObject({ active: true, sub: m2m.app.id });
      expect(await (await call('introspection', 'garbage')).json()).toEqual({ active: false });
      const forged = t.body.access_token.replace(/\.[\w-]+$/, '.AAAA');
      expect(await (await call('introspection', forged)).json()).toEqual({ active: false });
      expect((await call('revocation', t.body.access_token)).status).toBe(200);
      expect(await (await call('introspection', t.body.access_token)).json()).toEqual({ active: false });
      expect((await call('revocation', 'unknown-token-value-xyz-123456')).status).toBe(200);
    });
  });
}
