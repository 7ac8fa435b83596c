// The Management API through the Next.js front (`next start`, what Vercel runs): the same functions behind
// app/api/[...path]/route.ts must give the same answers as the lean server. A smoke subset of the lean suites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_RESOURCE_ID } from '../../server/services/management-resource.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil({ mode: 'next' });
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

describe('Management API on next start', () => {
  it('serves the OpenAPI document publicly', async () => {
    const res = await fetch(`${sigil.url}/api/swagger.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/users/{userId}', '/api/roles/{id}/users']));
    expect(doc.components.securitySchemes.oAuth2.flows.clientCredentials.tokenUrl).toBe(`${sigil.url}/oidc/token`);
  });

  it('runs the user lifecycle with Logto shapes, pagination headers and role assignment', async () => {
    const t = Math.random().toString(36).slice(2, 8);
    const created = await api.post('/api/users', { username: `next_${t}`, primaryEmail: `next.${t}@example.com`, password: 'pw-next-123' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ username: `next_${t}`, hasPassword: true, identities: {}, isSuspended: false });
    expect(created.body).not.toHaveProperty('passwordHash');
    const id = created.body.id as string;

    expect((await api.patch(`/api/users/${id}/custom-data`, { customData: { a: 1 } })).body).toEqual({ a: 1 });
    expect((await api.patch(`/api/users/${id}/is-suspended`, { isSuspended: true })).body.isSuspended).toBe(true);

    await api.post('/api/users', { username: `next_${t}_2` });
    const list = await api.get(`/api/users?search=next_${t}&page_size=1`);
    expect(list.status).toBe(200);
    expect(list.headers.get('total-number')).toBe('2');
    const base = `${sigil.url}/api/users?search=next_${t}&page_size=1`;
    expect(list.headers.get('link')).toBe(`<${base}&page=1>; rel="first", <${base}&page=2>; rel="last", <${base}&page=2>; rel="next"`);

    const role = (await api.post('/api/roles', { name: `next-role-${t}`, description: '' })).body;
    expect((await api.post(`/api/roles/${role.id}/users`, { userIds: [id] })).status).toBe(201);
    expect((await api.get(`/api/users/${id}/roles`)).body.map((r: { id: string }) => r.id)).toEqual([role.id]);
    expect((await api.get(`/api/roles/${role.id}/users`)).body.map((u: { id: string }) => u.id)).toEqual([id]);

    expect((await api.del(`/api/users/${id}`)).status).toBe(204);
    const gone = await api.get(`/api/users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: 'entity.not_found', message: `The user with id \`${id}\` does not exist.` });
  });

  it('answers the REST error contract the same way', async () => {
    const invalid = await api.post('/api/users', { username: '9lives' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ code: 'guard.invalid_input', message: expect.stringContaining('username'), field: 'username' });
    const headers = { authorization: `Bearer ${api.accessToken}` };
    const malformed = await fetch(`${sigil.url}/api/users`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ code: 'guard.invalid_input', message: 'The request body is not valid JSON.', field: 'body' });
    const wrongType = await fetch(`${sigil.url}/api/users`, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
    const badPage = await api.get('/api/users?page_size=500');
    expect(badPage.body).toMatchObject({ code: 'guard.invalid_pagination', field: 'page_size' });
  });

  it('enforces authentication and fine-grained scopes', async () => {
    const none = await fetch(`${sigil.url}/api/users`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="Sigil"');

    const scopes = (await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`)).body as { id: string; name: string }[];
    const readUsers = scopes.find((s) => s.name === 'read:users')!;
    const role = (await api.post('/api/roles', { name: `next-reader-${Date.now()}`, description: '', type: 'MachineToMachine', scopeIds: [readUsers.id] })).body;
    const app = (await api.post('/api/applications', { name: 'next reader', type: 'MachineToMachine' })).body;
    await api.post(`/api/applications/${app.id}/roles`, { roleIds: [role.id] });
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'read:users' }, { id: app.id, secret: app.secret });
    const auth = { authorization: `Bearer ${token.body.access_token}` };
    expect((await fetch(`${sigil.url}/api/users`, { headers: auth })).status).toBe(200);
    const denied = await fetch(`${sigil.url}/api/users`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="Sigil", error="insufficient_scope", error_description="missing scope", scope="write:users"');
  });
});
