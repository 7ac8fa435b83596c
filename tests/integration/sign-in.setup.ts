// Fixtures for the end-user sign-in suites: apps with redirect URIs, a user with a password, an API resource
// whose scopes a User role grants, all through the Management API.
import { managementClient, type Sigil } from '../helpers/sigil.ts';

export const PASSWORD = 'correct horse battery staple';

export type SignInFixture = Awaited<ReturnType<typeof signInFixture>>;

export async function signInFixture(sigil: Sigil) {
  const api = await managementClient(sigil);
  const suffix = Math.random().toString(36).slice(2, 8);
  const redirectUri = `http://127.0.0.1:9/callback/${suffix}`;
  const postLogoutRedirectUri = `http://127.0.0.1:9/signed-out/${suffix}`;
  const create = async (body: Record<string, unknown>) => {
    const res = await api.post('/api/applications', body);
    if (res.status !== 200) throw new Error(`create app: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; secret: string; type: string };
  };
  const metadata = (uri: string) => ({ oidcClientMetadata: { redirectUris: [uri], postLogoutRedirectUris: [postLogoutRedirectUri] } });
  const spa = await create({ name: 'Shop SPA', type: 'SPA', ...metadata(redirectUri), customClientMetadata: { corsAllowedOrigins: ['https://shop.example'] } });
  const spa2 = await create({ name: 'Second SPA', type: 'SPA', ...metadata(`${redirectUri}/second`) });
  const web = await create({ name: 'Shop web', type: 'Traditional', ...metadata(`${redirectUri}/web`) });
  const thirdParty = await create({ name: 'Partner app', type: 'Traditional', isThirdParty: true, ...metadata(`${redirectUri}/partner`) });
  const m2m = await create({ name: 'Worker', type: 'MachineToMachine' });

  const indicator = `https://api.shop.example/${suffix}`;
  const resource = await api.post('/api/resources', { name: 'Shop API', indicator });
  const scopeIds: Record<string, string> = {};
  for (const name of ['read:orders', 'write:orders', 'delete:orders']) {
    scopeIds[name] = (await api.post(`/api/resources/${resource.body.id}/scopes`, { name, description: `${name} permission` })).body.id;
  }
  const role = await api.post('/api/roles', { name: `shopper-${suffix}`, description: 'Shopper', type: 'User', scopeIds: [scopeIds['read:orders'], scopeIds['write:orders']] });
  const username = `alice_${suffix}`;
  const email = `alice.${suffix}@example.com`;
  const user = await api.post('/api/users', { username, primaryEmail: email, name: 'Alice Example', password: PASSWORD, customData: { plan: 'gold' } });
  if (user.status !== 200) throw new Error(JSON.stringify(user.body));
  await api.post(`/api/users/${user.body.id}/roles`, { roleIds: [role.body.id] });
  return {
    api, redirectUri, postLogoutRedirectUri, indicator, spa, spa2, web, thirdParty, m2m,
    role: role.body as { id: string; name: string },
    user: { id: user.body.id as string, username, email, password: PASSWORD },
  };
}
