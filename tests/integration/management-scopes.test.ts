// Management API authorization: each fine-grained scope opens exactly the routes declared with it, `all`
// opens every route, and every way of failing authentication or authorization answers as RFC 6750 says.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { MANAGEMENT_RESOURCE_ID, MANAGEMENT_SCOPES, type ManagementScope } from '../../server/services/management-resource.ts';
import { basic, managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

/** An M2M app whose only role holds exactly `scopes` of the Management API resource. */
async function appWith(scopes: ManagementScope[]) {
  // A fresh admin token each time: the matrix may rotate signing keys (write:configs), retiring old ones.
  api = await managementClient(sigil);
  const all = await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`);
  const ids = scopes.map((s) => all.body.find((x: { name: string }) => x.name === s)?.id as string);
  expect(ids.every(Boolean)).toBe(true);
  const role = await api.post('/api/roles', { name: `mgmt-${scopes.join('+')}-${Math.random().toString(36).slice(2, 6)}`, description: '', type: 'MachineToMachine', scopeIds: ids });
  const app = await api.post('/api/applications', { name: `probe ${scopes.join(' ')}`, type: 'MachineToMachine' });
  expect((await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] })).status).toBe(201);
  return { id: app.body.id as string, secret: app.body.secret as string };
}

async function tokenFor(app: { id: string; secret: string }, scope: string, resource = `${sigil.url}/api`) {
  const res = await tokenRequest(sigil, { grant_type: 'client_credentials', resource, scope }, app);
  expect(res.status).toBe(200);
  return res.body as { access_token: string; scope?: string };
}

/** Call a route with placeholder ids (and an empty JSON body where it takes one). */
function call(route: (typeof ROUTES)[number], authorization?: string) {
  const path = route.path.replace(/:(\w+)/g, 'scope-probe-$1');
  return fetch(`${sigil.url}${path}`, {
    method: route.method,
    headers: { ...(authorization ? { authorization } : {}), ...(route.body ? { 'content-type': 'application/json' } : {}) },
    body: route.body ? '{}' : undefined,
  });
}

describe('fine-grained scopes', () => {
  const scopes = Object.keys(MANAGEMENT_SCOPES).filter((s) => s !== 'all') as ManagementScope[];

  it('declares every scope on the Management API resource, and every route needs one of them', async () => {
    const res = await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`);
    expect(res.body.map((s: { name: string }) => s.name).sort()).toEqual(Object.keys(MANAGEMENT_SCOPES).sort());
    for (const route of ROUTES) expect(Object.keys(MANAGEMENT_SCOPES)).toContain(route.scope);
  });

  for (const scope of scopes) {
    it(`\`${scope}\` opens exactly its routes; others answer 403 insufficient_scope`, async () => {
      const token = await tokenFor(await appWith([scope]), scope);
      expect(token.scope).toBe(scope);
      const auth = `Bearer ${token.access_token}`;
      const mine = ROUTES.filter((r) => r.scope === scope);
      for (const route of ROUTES) {
        const res = await call(route, auth);
        const label = `${route.method} ${route.path} (${route.scope}) with ${scope}`;
        if (route.scope === scope) {
          expect([401, 403], label).not.toContain(res.status);
        } else {
          expect(res.status, label).toBe(403);
          expect(await res.json(), label).toEqual({ code: 'auth.forbidden', message: `The access token lacks the \`${route.scope}\` scope.` });
          expect(res.headers.get('www-authenticate'), label).toBe(`Bearer realm="Sigil", error="insufficient_scope", error_description="missing scope", scope="${route.scope}"`);
        }
      }
      // Scopes that guard nothing yet (features still to come) are fine; a scope's routes are all reachable.
      expect(mine.every((r) => r.scope === scope)).toBe(true);
    });
  }

  it('`all` opens every route', async () => {
    const token = await tokenFor(await appWith(['all']), 'all');
    for (const route of ROUTES) {
      const res = await call(route, `Bearer ${token.access_token}`);
      expect([401, 403], `${route.method} ${route.path}`).not.toContain(res.status);
    }
  });

  it('a token carries only the scopes asked for: asking for read:users alone cannot write users', async () => {
    const app = await appWith(['read:users', 'write:users']);
    const token = await tokenFor(app, 'read:users');
    expect(token.scope).toBe('read:users');
    const res = await fetch(`${sigil.url}/api/users`, { method: 'POST', headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect((await fetch(`${sigil.url}/api/users`, { headers: { authorization: `Bearer ${token.access_token}` } })).status).toBe(200);
  });
});

describe('authentication failures', () => {
  const users = () => `${sigil.url}/api/users`;

  it('401 without a token, with a WWW-Authenticate challenge', async () => {
    const res = await fetch(users());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'auth.authorization_header_missing', message: 'A Bearer access token is required.' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Sigil"');
  });

  it('401 for a malformed Authorization header or a token that is not one of ours', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Token abc', 'Bearer a b']) {
      const res = await fetch(users(), { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect((await res.json()).code, authorization).toBe('auth.authorization_header_missing');
    }
    for (const token of ['not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'a'.repeat(43)]) {
      const res = await fetch(users(), { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token).toBe(401);
      expect(await res.json()).toEqual({ code: 'auth.unauthorized', message: 'The access token is invalid.' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="invalid_token", error_description="The access token is invalid."');
    }
  });

  it('401 for a token whose signature was tampered with', async () => {
    const { access_token } = await tokenFor(await appWith(['read:users']), 'read:users');
    const [h, p, s] = access_token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'all' })).toString('base64url')}.${s}`;
    const res = await fetch(users(), { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });

  it('401 for a revoked token (RFC 7009 revocation, then the API)', async () => {
    const app = await appWith(['read:users']);
    const { access_token } = await tokenFor(app, 'read:users');
    expect((await fetch(users(), { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
    const revoke = await fetch(`${sigil.url}/oidc/token/revocation`, {
      method: 'POST',
      headers: { authorization: basic(app.id, app.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: access_token }),
    });
    expect(revoke.status).toBe(200);
    const res = await fetch(users(), { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('auth.unauthorized');
  });

  it('401 "expired" for a token signed with the server\'s own key whose exp has passed', async () => {
    // Sign in this process with the instance's current key (read from its database with its secret), so
    // the only thing wrong with the token is its expiry.
    for (const k of ['DATABASE_URL', 'SIGIL_SECRET', 'SIGIL_PUBLIC_URL', 'SIGIL_DATA_DIR']) process.env[k] = sigil.env[k];
    const { resetEnv } = await import('../../server/env.ts');
    resetEnv();
    const { currentSigningKey } = await import('../../server/services/signing-keys/key-set.ts');
    const key = await currentSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const sign = (exp: number) =>
      key.privateKey().then((pk) =>
        new SignJWT({ scope: 'all', client_id: 'bootstrap-admin' })
          .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
          .setIssuer(`${sigil.url}/oidc`).setAudience(`${sigil.url}/api`).setSubject('bootstrap-admin')
          .setJti(`expired-probe-${exp}`).setIssuedAt(exp - 3600).setExpirationTime(exp)
          .sign(pk));
    // Control: the same construction with a future exp is accepted, so the 401 below is about expiry only.
    expect((await fetch(users(), { headers: { authorization: `Bearer ${await sign(now + 600)}` } })).status).toBe(200);
    const res = await fetch(users(), { headers: { authorization: `Bearer ${await sign(now - 120)}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'auth.unauthorized', message: 'The access token has expired.' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="invalid_token", error_description="The access token has expired."');
  });

  it('401 for a still-valid token of an application that was deleted', async () => {
    const app = await appWith(['read:users']);
    const { access_token } = await tokenFor(app, 'read:users');
    expect((await api.del(`/api/applications/${app.id}`)).status).toBe(204);
    const res = await fetch(users(), { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'auth.unauthorized', message: 'The application of this access token no longer exists.' });
  });

  it('403 for a valid token issued for another resource (wrong audience), JWT or opaque', async () => {
    for (const tokenFormat of ['jwt', 'opaque'] as const) {
      const m2m = await setupM2M(sigil, { tokenFormat });
      const token = await tokenFor(m2m.app, 'read:products', m2m.indicator);
      const res = await fetch(users(), { headers: { authorization: `Bearer ${token.access_token}` } });
      expect(res.status, tokenFormat).toBe(403);
      expect(await res.json()).toEqual({ code: 'auth.forbidden', message: 'The access token is not for the Management API resource.' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="insufficient_scope", error_description="wrong audience"');
    }
  });

  it('403 for a Management API token with no scope at all', async () => {
    const m2m = await setupM2M(sigil);
    // The app has no Management API role: the scope is filtered out and the token has none.
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all' }, m2m.app);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBeUndefined();
    const res = await fetch(users(), { headers: { authorization: `Bearer ${token.body.access_token}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('auth.forbidden');
  });
});

describe('current grants', () => {
  it('removing an app\'s role takes effect on its current token at the next request', async () => {
    const app = await appWith(['read:users']);
    const { access_token } = await tokenFor(app, 'read:users');
    const users = () => fetch(`${sigil.url}/api/users`, { headers: { authorization: `Bearer ${access_token}` } });
    expect((await users()).status).toBe(200);
    const [role] = (await api.get(`/api/applications/${app.id}/roles`)).body;
    expect((await api.del(`/api/applications/${app.id}/roles/${role.id}`)).status).toBe(204);
    const res = await users();
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 'auth.forbidden', message: 'The application no longer holds the `read:users` scope.' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="insufficient_scope", error_description="missing scope", scope="read:users"');
  });

  it('removing a scope from the app\'s role takes effect on its current token; the other scopes keep working', async () => {
    const app = await appWith(['read:users', 'read:roles']);
    const { access_token } = await tokenFor(app, 'read:users read:roles');
    const get = (path: string) => fetch(`${sigil.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
    expect((await get('/api/users')).status).toBe(200);
    const [role] = (await api.get(`/api/applications/${app.id}/roles`)).body;
    const scopes = (await api.get(`/api/roles/${role.id}/scopes`)).body as Array<{ id: string; name: string }>;
    const readUsers = scopes.find((s) => s.name === 'read:users')!;
    expect((await api.del(`/api/roles/${role.id}/scopes/${readUsers.id}`)).status).toBe(204);
    expect((await get('/api/users')).status).toBe(403);
    expect((await get('/api/roles')).status).toBe(200);
  });

  it('a token asking for `all` is worth only what the app still holds', async () => {
    const app = await appWith(['all']);
    const { access_token } = await tokenFor(app, 'all');
    const [role] = (await api.get(`/api/applications/${app.id}/roles`)).body;
    const all = (await api.get(`/api/roles/${role.id}/scopes`)).body[0];
    const readLogs = (await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`)).body.find((s: { name: string }) => s.name === 'read:logs');
    expect((await api.post(`/api/roles/${role.id}/scopes`, { scopeIds: [readLogs.id] })).status).toBe(201);
    expect((await api.del(`/api/roles/${role.id}/scopes/${all.id}`)).status).toBe(204);
    const get = (path: string) => fetch(`${sigil.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
    expect((await get('/api/logs')).status).toBe(200);
    expect((await get('/api/users')).status).toBe(403);
  });
});

describe('the built-in "Management API access" role', () => {
  it('cannot be deleted, and its scope set cannot change (422 with a code); nothing changes', async () => {
    const refused = { code: 'role.cannot_modify_management_api_access' };
    const del = await api.del('/api/roles/management-api-access');
    expect(del.status).toBe(422);
    expect(del.body).toMatchObject(refused);
    const scopes = (await api.get('/api/roles/management-api-access/scopes')).body as Array<{ id: string; name: string }>;
    expect(scopes.map((s) => s.name)).toEqual(['all']);
    const remove = await api.del(`/api/roles/management-api-access/scopes/${scopes[0]!.id}`);
    expect(remove.status).toBe(422);
    expect(remove.body).toMatchObject(refused);
    const readLogs = (await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`)).body.find((s: { name: string }) => s.name === 'read:logs');
    const add = await api.post('/api/roles/management-api-access/scopes', { scopeIds: [readLogs.id] });
    expect(add.status).toBe(422);
    expect(add.body).toMatchObject(refused);
    expect((await api.get('/api/roles/management-api-access/scopes')).body.map((s: { name: string }) => s.name)).toEqual(['all']);
  });

  it('is given back to the bootstrap app at the next start', async () => {
    expect((await api.del('/api/applications/bootstrap-admin/roles/management-api-access')).status).toBe(204);
    const lost = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all' }, { id: 'bootstrap-admin', secret: sigil.env.SIGIL_BOOTSTRAP_CLIENT_SECRET! });
    expect(lost.body.scope).toBeUndefined();
    await sigil.restart();
    api = await managementClient(sigil);
    expect((await api.get('/api/applications/bootstrap-admin/roles')).body.map((r: { id: string }) => r.id)).toContain('management-api-access');
  }, 120_000);
});

describe('issued-at', () => {
  it('401 for a token signed with the server\'s own key whose iat is in the future (beyond a small skew)', async () => {
    for (const k of ['DATABASE_URL', 'SIGIL_SECRET', 'SIGIL_PUBLIC_URL', 'SIGIL_DATA_DIR']) process.env[k] = sigil.env[k];
    const { resetEnv } = await import('../../server/env.ts');
    resetEnv();
    const { currentSigningKey } = await import('../../server/services/signing-keys/key-set.ts');
    const key = await currentSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const sign = (iat: number) =>
      key.privateKey().then((pk) =>
        new SignJWT({ scope: 'all', client_id: 'bootstrap-admin' })
          .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
          .setIssuer(`${sigil.url}/oidc`).setAudience(`${sigil.url}/api`).setSubject('bootstrap-admin')
          .setJti(`iat-probe-${iat}`).setIssuedAt(iat).setExpirationTime(iat + 7200)
          .sign(pk));
    const users = `${sigil.url}/api/users`;
    // Control: a few seconds ahead is clock skew between instances, and accepted.
    expect((await fetch(users, { headers: { authorization: `Bearer ${await sign(now + 5)}` } })).status).toBe(200);
    const res = await fetch(users, { headers: { authorization: `Bearer ${await sign(now + 3600)}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'auth.unauthorized', message: 'The access token is invalid.' });
  });
});
