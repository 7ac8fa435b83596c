// The whole M2M flow through the Management API (issue 2's acceptance path), then the REST layer's error
// contract: validation naming the field, duplicates 422, unknown ids 404, malformed JSON 400, wrong content
// type 415, unknown routes 404, wrong methods 405, oversized bodies 413; and Logto pagination on every list.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

const raw = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${sigil.url}${path}`, { ...init, headers: { authorization: `Bearer ${api.accessToken}`, ...init.headers } });

describe('full flow: resource -> scopes -> role -> app -> assignment -> token -> resource server check', () => {
  it('issues a token a resource server can verify, carrying exactly the granted scopes', async () => {
    const indicator = `https://orders.example/${Date.now()}`;
    const resource = await api.post('/api/resources', { name: 'Orders API', indicator, accessTokenTtl: 900 });
    expect(resource.status).toBe(201);
    expect(resource.body).toEqual({
      tenantId: 'default', id: expect.any(String), name: 'Orders API', indicator, isDefault: false, accessTokenTtl: 900, tokenFormat: 'jwt', isBuiltIn: false, createdAt: expect.any(Number),
    });
    const read = await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'read:orders', description: 'Read orders' });
    const write = await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'write:orders' });
    expect(read.status).toBe(201);
    expect(read.body).toEqual({ tenantId: 'default', id: expect.any(String), resourceId: resource.body.id, name: 'read:orders', description: 'Read orders', createdAt: expect.any(Number) });
    expect(write.body.description).toBeNull();

    const role = await api.post('/api/roles', { name: `order-reader-${Date.now()}`, description: 'Reads orders', type: 'MachineToMachine', scopeIds: [read.body.id] });
    expect(role.status).toBe(200);
    expect(role.body).toEqual({ id: expect.any(String), name: expect.stringMatching(/^order-reader-/), description: 'Reads orders', type: 'MachineToMachine', isDefault: false, createdAt: expect.any(Number) });
    const roleScopes = await api.get(`/api/roles/${role.body.id}/scopes`);
    expect(roleScopes.body.map((s: { name: string; resource: { indicator: string } }) => [s.name, s.resource.indicator])).toEqual([['read:orders', indicator]]);

    const app = await api.post('/api/applications', { name: 'Order sync', type: 'MachineToMachine' });
    expect(app.status).toBe(200);
    expect(app.body.secret).toMatch(/^[\w-]{43}$/);
    expect((await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] })).status).toBe(201);
    expect((await api.get(`/api/applications/${app.body.id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([role.body.id]);

    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator, scope: 'read:orders write:orders' }, { id: app.body.id, secret: app.body.secret });
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ access_token: expect.any(String), expires_in: 900, token_type: 'Bearer', scope: 'read:orders' });

    // What the resource server does: verify signature (JWKS), issuer, audience, expiry, then read scopes.
    const jwks = createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token.body.access_token, jwks, { issuer: `${sigil.url}/oidc`, audience: indicator, typ: 'at+jwt' });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: app.body.id, client_id: app.body.id, scope: 'read:orders' });
    expect(payload.exp! - payload.iat!).toBe(900);

    // Granting write:orders to the role takes effect on the next token.
    expect((await api.post(`/api/roles/${role.body.id}/scopes`, { scopeIds: [write.body.id] })).status).toBe(201);
    const wider = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator, scope: 'read:orders write:orders' }, { id: app.body.id, secret: app.body.secret });
    expect(wider.body.scope).toBe('read:orders write:orders');
  });
});

describe('errors', () => {
  it('400 guard.invalid_input naming the field, for body, nested body, query and unknown keys', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/resources', { name: 'X', indicator: 'not a uri' }, 'indicator'],
      ['POST', '/api/resources', { indicator: 'https://x.example' }, 'name'],
      ['POST', '/api/resources', { name: 'X', indicator: 'https://x.example', accessTokenTtl: 5 }, 'accessTokenTtl'],
      ['POST', '/api/applications', { name: 'X', type: 'Robot' }, 'type'],
      ['POST', '/api/roles', { name: 'X', description: 'd', scopeIds: 'nope' }, 'scopeIds'],
      ['PATCH', '/api/roles/management-api-access', { color: 'red' }, 'color'],
      ['POST', '/api/users', { profile: { address: { planet: 'Mars' } } }, 'profile.address.planet'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path} ${field}`).toBe(400);
      expect(res.body).toEqual({ code: 'guard.invalid_input', message: expect.stringContaining(field), field });
    }
    const query = await api.get('/api/roles?type=Robot');
    expect(query.status).toBe(400);
    expect(query.body).toEqual({ code: 'guard.invalid_input', message: expect.stringContaining('type'), field: 'type' });
  });

  it('422 for a duplicate indicator, role name or scope name, naming the field', async () => {
    const indicator = `https://dup.example/${Date.now()}`;
    const first = await api.post('/api/resources', { name: 'Dup', indicator });
    const dup = await api.post('/api/resources', { name: 'Dup 2', indicator });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({ code: 'resource.resource_identifier_in_use', message: expect.any(String), field: 'indicator' });
    await api.post(`/api/resources/${first.body.id}/scopes`, { name: 'dup:scope' });
    const dupScope = await api.post(`/api/resources/${first.body.id}/scopes`, { name: 'dup:scope' });
    expect(dupScope.status).toBe(422);
    expect(dupScope.body).toEqual({ code: 'scope.name_exists', message: expect.any(String), field: 'name' });
    const name = `dup-role-${Date.now()}`;
    await api.post('/api/roles', { name, description: '' });
    const dupRole = await api.post('/api/roles', { name, description: '' });
    expect(dupRole.status).toBe(422);
    expect(dupRole.body).toEqual({ code: 'role.name_exists', message: expect.any(String), field: 'name' });
  });

  it('404 entity.not_exists_with_id for unknown ids on every kind of entity (users: entity.not_found, as Logto)', async () => {
    for (const path of ['/api/applications/nope', '/api/resources/nope', '/api/roles/nope', '/api/users/nope', '/api/resources/nope/scopes', '/api/roles/nope/users']) {
      const res = await api.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.code, path).toBe(path === '/api/users/nope' ? 'entity.not_found' : 'entity.not_exists_with_id');
    }
  });

  it('400 for malformed JSON, 415 for a non-JSON content type, 413 for a body over 1 MiB', async () => {
    const malformed = await raw('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ code: 'guard.invalid_input', message: 'The request body is not valid JSON.', field: 'body' });
    const form = await raw('/api/users', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=alice' });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ code: 'guard.invalid_content_type', message: 'The request body must be application/json.', field: 'body' });
    const charset = await raw('/api/users', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' });
    expect(charset.status).toBe(200);
    const big = await raw('/api/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customData: { blob: 'x'.repeat(1024 * 1024) } }) });
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('guard.body_too_large');
    // Nothing was created by the refused requests.
    expect((await api.get('/api/users?search=alice')).body).toEqual([]);
  });

  it('404 route.not_found for an unknown path, 405 with Allow for a wrong method', async () => {
    const unknown = await api.get('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('route.not_found');
    const wrong = await api.call('PUT', '/api/users');
    expect(wrong.status).toBe(405);
    expect(wrong.body.code).toBe('route.method_not_allowed');
    expect(wrong.headers.get('allow')).toBe('GET, POST');
  });
});

describe('pagination on every list', () => {
  it('every paginated route answers with Total-Number and a Logto Link header', async () => {
    // Something to list under every nested collection.
    const role = (await api.post('/api/roles', { name: `pg-${Date.now()}`, description: '' })).body;
    const m2mRole = (await api.post('/api/roles', { name: `pg-m2m-${Date.now()}`, description: '', type: 'MachineToMachine' })).body;
    const user = (await api.post('/api/users', {})).body;
    await api.post(`/api/users/${user.id}/roles`, { roleIds: [role.id] });
    const app = (await api.post('/api/applications', { name: 'pg', type: 'MachineToMachine' })).body;
    await api.post(`/api/applications/${app.id}/roles`, { roleIds: [m2mRole.id] });
    const fill: Record<string, string> = { '/api/roles/:id': role.id, '/api/users/:userId': user.id, '/api/applications/:applicationId': app.id, '/api/applications/:id': app.id, '/api/resources/:resourceId': 'management-api' };
    let checked = 0;
    for (const route of ROUTES.filter((r) => r.paginated)) {
      let path = route.path;
      for (const [prefix, value] of Object.entries(fill)) {
        if (path.startsWith(prefix)) path = path.replace(prefix, prefix.replace(/:\w+$/, value));
      }
      if (path.includes(':')) continue; // a nested list this test has no parent for
      // `page` too: some lists paginate only when asked (Logto's optional pagination, e.g. /api/hooks).
      const res = await api.get(`${path}?page_size=1&page=1`);
      expect(res.status, path).toBe(200);
      const total = Number(res.headers.get('total-number'));
      expect(Number.isInteger(total) && total >= 0, path).toBe(true);
      expect(res.body.length, path).toBe(Math.min(1, total));
      const last = Math.max(1, total);
      const base = `${sigil.url}${path}?page_size=1`;
      const expected = [`<${base}&page=1>; rel="first"`, `<${base}&page=${last}>; rel="last"`];
      if (last > 1) expected.push(`<${base}&page=2>; rel="next"`);
      expect(res.headers.get('link'), path).toBe(expected.join(', '));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('a page past the end is empty, with first/last/prev links and no next', async () => {
    const res = await api.get('/api/resources?page=50&page_size=100');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    const total = Number(res.headers.get('total-number'));
    expect(total).toBeGreaterThanOrEqual(1);
    const at = (p: number) => `${sigil.url}/api/resources?page=${p}&page_size=100`;
    expect(res.headers.get('link')).toBe(`<${at(1)}>; rel="first", <${at(1)}>; rel="last", <${at(49)}>; rel="prev"`);
  });
});
