// Applications that sign users in, through the Management API: redirect URIs, post-logout redirect URIs,
// CORS origins and the third-party flag, validated on the way in; public clients get no secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

describe('OIDC client metadata', () => {
  it('stores redirect URIs, post-logout URIs and CORS origins; SPA and Native apps get no secret', async () => {
    const created = await api.post('/api/applications', {
      name: 'Shop', type: 'SPA',
      oidcClientMetadata: { redirectUris: ['https://shop.example/callback', 'http://localhost:3000/callback'], postLogoutRedirectUris: ['https://shop.example/'] },
      customClientMetadata: { corsAllowedOrigins: ['https://admin.shop.example'] },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 'SPA', isThirdParty: false,
      oidcClientMetadata: { redirectUris: ['https://shop.example/callback', 'http://localhost:3000/callback'], postLogoutRedirectUris: ['https://shop.example/'] },
      customClientMetadata: { corsAllowedOrigins: ['https://admin.shop.example'] },
    });
    const native = await api.post('/api/applications', { name: 'App', type: 'Native', oidcClientMetadata: { redirectUris: ['io.shop.app://callback'] } });
    expect(created.body).not.toHaveProperty('secret');
    expect(native.body).not.toHaveProperty('secret');
    expect(native.body).toMatchObject({ oidcClientMetadata: { redirectUris: ['io.shop.app://callback'], postLogoutRedirectUris: [] } });
    expect((await api.get(`/api/applications/${native.body.id}/secrets`)).body).toEqual([]);
  });

  it('replaces the lists given in a PATCH and keeps the others (Logto: a native URI on a web app and vice versa)', async () => {
    const app = await api.post('/api/applications', { name: 'Web', type: 'Traditional', oidcClientMetadata: { redirectUris: ['https://a.example/cb'], postLogoutRedirectUris: ['https://a.example/'] } });
    const patched = await api.patch(`/api/applications/${app.body.id}`, { oidcClientMetadata: { redirectUris: ['io.logto://my-app/callback', 'https://b.example/cb'] } });
    expect(patched.status).toBe(200);
    expect(patched.body.oidcClientMetadata).toEqual({ redirectUris: ['io.logto://my-app/callback', 'https://b.example/cb'], postLogoutRedirectUris: ['https://a.example/'] });
    expect((await api.get(`/api/applications/${app.body.id}`)).body.oidcClientMetadata).toEqual(patched.body.oidcClientMetadata);
  });

  const refused: Array<[string, unknown, string, string]> = [
    ['http off loopback', { oidcClientMetadata: { redirectUris: ['http://shop.example/cb'] } }, 'oidcClientMetadata.redirectUris.0', 'http is allowed only on loopback (localhost, 127.0.0.1, [::1]); use https'],
    ['a fragment', { oidcClientMetadata: { redirectUris: ['https://shop.example/cb#x'] } }, 'oidcClientMetadata.redirectUris.0', 'must not contain whitespace or a fragment'],
    ['javascript:', { oidcClientMetadata: { redirectUris: ['javascript:alert(1)'] } }, 'oidcClientMetadata.redirectUris.0', 'the scheme javascript is not allowed'],
    ['data:', { oidcClientMetadata: { postLogoutRedirectUris: ['data:text/html,hi'] } }, 'oidcClientMetadata.postLogoutRedirectUris.0', 'the scheme data is not allowed'],
    ['credentials', { oidcClientMetadata: { redirectUris: ['https://u:p@shop.example/cb'] } }, 'oidcClientMetadata.redirectUris.0', 'must not contain credentials'],
    ['a relative URI', { oidcClientMetadata: { redirectUris: ['/callback'] } }, 'oidcClientMetadata.redirectUris.0', 'must be an absolute URI'],
    ['a CORS origin with a path', { customClientMetadata: { corsAllowedOrigins: ['https://shop.example/app'] } }, 'customClientMetadata.corsAllowedOrigins.0', 'must be an origin such as https://app.example.com (https, or http on loopback; no path)'],
  ];
  for (const [name, body, field, message] of refused) {
    it(`refuses ${name} with 400 naming the field`, async () => {
      const res = await api.post('/api/applications', { name: 'Bad', type: 'SPA', ...(body as object) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'guard.invalid_input', message: `Invalid body: ${field}: ${message}`, field });
    });
  }

  it('makes third-party apps only of the interactive types', async () => {
    const m2m = await api.post('/api/applications', { name: 'Worker', type: 'MachineToMachine', isThirdParty: true });
    expect(m2m.status).toBe(400);
    expect(m2m.body).toMatchObject({ code: 'application.invalid_third_party_application_type', field: 'isThirdParty' });
    for (const type of ['Traditional', 'SPA', 'Native']) {
      const app = await api.post('/api/applications', { name: `Partner ${type}`, type, isThirdParty: true });
      expect(app.status).toBe(200);
      expect(app.body.isThirdParty).toBe(true);
    }
    const exchange = await api.post('/api/applications', { name: 'Partner', type: 'Traditional', isThirdParty: true, customClientMetadata: { allowTokenExchange: true } });
    expect(exchange.status).toBe(422);
  });
});
