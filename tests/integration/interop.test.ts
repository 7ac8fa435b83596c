// Interop: client libraries nobody here wrote drive Sigil unchanged.
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let m2m: Awaited<ReturnType<typeof setupM2M>>;
let opaque: Awaited<ReturnType<typeof setupM2M>>;

beforeAll(async () => {
  sigil = await startSigil();
  m2m = await setupM2M(sigil);
  opaque = await setupM2M(sigil, { tokenFormat: 'opaque' });
});
afterAll(async () => sigil?.stop());

describe('openid-client', () => {
  const configFor = (app: { id: string; secret: string }) =>
    client.discovery(new URL(`${sigil.url}/oidc`), app.id, undefined, client.ClientSecretBasic(app.secret), {
      execute: [client.allowInsecureRequests],
    });

  it('discovers, gets a client_credentials token, introspects and revokes it', async () => {
    const config = await configFor(opaque.app);
    expect(config.serverMetadata().issuer).toBe(`${sigil.url}/oidc`);
    const tokens = await client.clientCredentialsGrant(config, { resource: opaque.indicator, scope: 'read:products write:products' });
    expect(tokens.token_type).toBe('bearer'); // openid-client normalises the case
    expect(tokens.scope).toBe('read:products write:products');
    expect(tokens.expires_in).toBe(3600);
    const active = await client.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, client_id: opaque.app.id, aud: opaque.indicator, scope: 'read:products write:products' });
    await client.tokenRevocation(config, tokens.access_token);
    expect(await client.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
  });

  it('surfaces Sigil OAuth errors as ResponseBodyError with the exact code', async () => {
    const config = await configFor(m2m.app);
    const error = await client.clientCredentialsGrant(config, { resource: 'https://unknown.example' }).catch((e) => e);
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    expect(error.error).toBe('invalid_target');
    expect(error.status).toBe(400);
  });

  it('reports bad credentials as invalid_client with a Basic challenge', async () => {
    const config = await configFor({ id: m2m.app.id, secret: 'wrong' });
    const error = await client.clientCredentialsGrant(config, { resource: m2m.indicator }).catch((e) => e);
    // A 401 carrying WWW-Authenticate is surfaced as the parsed challenge (RFC 6749 §5.2 + RFC 7235).
    expect(error).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    expect(error.status).toBe(401);
    expect(error.cause).toEqual([{ scheme: 'basic', parameters: { realm: 'Sigil', error: 'invalid_client' } }]);
    expect(await error.response.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed', code: 'oidc.invalid_client', message: 'client authentication failed' });
  });
});

describe('oauth4webapi (strict response checks)', () => {
  const insecure = { [oauth.allowInsecureRequests]: true } as const;

  it('processes discovery, the token response, and validates the JWT per RFC 9068', async () => {
    const issuer = new URL(`${sigil.url}/oidc`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const c: oauth.Client = { client_id: m2m.app.id };
    const auth = oauth.ClientSecretBasic(m2m.app.secret);
    const response = await oauth.clientCredentialsGrantRequest(as, c, auth, { resource: m2m.indicator, scope: 'read:products' }, insecure);
    const result = await oauth.processClientCredentialsResponse(as, c, response);
    expect(result).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'read:products' });

    // A resource server validating the access token exactly as RFC 9068 §4 requires.
    const request = new Request('https://shopping.api/products', { headers: { authorization: `Bearer ${result.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, m2m.indicator, insecure);
    expect(claims).toMatchObject({ iss: issuer.href, sub: m2m.app.id, client_id: m2m.app.id, aud: m2m.indicator, scope: 'read:products' });
    await expect(oauth.validateJwtAccessToken(as, request, 'https://another.api', insecure)).rejects.toThrow();
  });

  it('processes introspection and revocation responses', async () => {
    const issuer = new URL(`${sigil.url}/oidc`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const c: oauth.Client = { client_id: m2m.app.id };
    const auth = oauth.ClientSecretPost(m2m.app.secret);
    const token = await oauth.processClientCredentialsResponse(as, c, await oauth.clientCredentialsGrantRequest(as, c, auth, { resource: m2m.indicator }, insecure));
    expect(token.scope).toBeUndefined();
    const introspected = await oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, auth, token.access_token, insecure));
    expect(introspected).toMatchObject({ active: true, sub: m2m.app.id, client_id: m2m.app.id });
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, c, auth, token.access_token, insecure));
    const after = await oauth.processIntrospectionResponse(as, c, await oauth.introspectionRequest(as, c, auth, token.access_token, insecure));
    expect(after).toEqual({ active: false });
  });

  it('turns an error response into ResponseBodyError', async () => {
    const issuer = new URL(`${sigil.url}/oidc`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const c: oauth.Client = { client_id: m2m.app.id };
    const response = await oauth.clientCredentialsGrantRequest(as, c, oauth.ClientSecretBasic(m2m.app.secret), { resource: 'not a uri' }, insecure);
    const error = await oauth.processClientCredentialsResponse(as, c, response).catch((e) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect(error.error).toBe('invalid_target');
    expect(error.error_description).toBe('resource must be an absolute URI');
  });
});
