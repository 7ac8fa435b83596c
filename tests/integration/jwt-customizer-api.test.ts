// The Management API for custom JWT claims (Logto's /api/configs/jwt-customizer): exact status codes and
// bodies, validation naming the field, the test run (200 / 403 / 422 with kind and position), scopes, and
// the audit trail without environment variable values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { openDb } from '../helpers/db.ts';
import { MANAGEMENT_RESOURCE_ID } from '../../server/services/management-resource.ts';
import { managementClient, startSigil, BOOTSTRAP_ID, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;
let db: Db;

const BASE = '/api/configs/jwt-customizer';
const SCRIPT = `const getCustomJwtClaims = async ({ token, context, environmentVariables }) => {
  return { tenant: environmentVariables.TENANT, client: token.clientId };
};`;

beforeAll(async () => {
  sigil = await startSigil();
  api = await managementClient(sigil);
  db = openDb(sigil.databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
});

describe('CRUD', () => {
  it('GET before anything is configured: 404 (Logto code) and an empty list', async () => {
    const one = await api.get(`${BASE}/client-credentials`);
    expect(one.status).toBe(404);
    expect(one.body).toEqual({ code: 'entity.not_exists_with_id', message: 'The JWT customizer with id `jwt.clientCredentials` does not exist.' });
    expect(await api.get(BASE)).toMatchObject({ status: 200, body: [] });
  });

  it('PUT creates (201), then replaces (200); absent fields take their defaults', async () => {
    const created = await api.put(`${BASE}/client-credentials`, {
      script: SCRIPT,
      environmentVariables: { TENANT: 'acme', API_KEY: 'secret-value-1' },
      tokenSample: { jti: 'j', aud: 'https://api', clientId: 'c', kind: 'ClientCredentials' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      script: SCRIPT,
      environmentVariables: { TENANT: 'acme', API_KEY: 'secret-value-1' },
      tokenSample: { jti: 'j', aud: 'https://api', clientId: 'c', kind: 'ClientCredentials' },
      blockIssuanceOnError: false,
    });
    const replaced = await api.put(`${BASE}/client-credentials`, { script: SCRIPT, blockIssuanceOnError: true });
    expect(replaced.status).toBe(200);
    // Logto's shape exactly: Sigil's `enabled` switch appears only while it is off.
    expect(replaced.body).toEqual({ script: SCRIPT, environmentVariables: {}, blockIssuanceOnError: true });
    expect(await api.get(`${BASE}/client-credentials`)).toMatchObject({ status: 200, body: replaced.body });
  });

  it('PATCH changes only the given fields; 404 when nothing is configured', async () => {
    const patched = await api.patch(`${BASE}/client-credentials`, { enabled: false, environmentVariables: { TENANT: 'beta' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ script: SCRIPT, environmentVariables: { TENANT: 'beta' }, blockIssuanceOnError: true, enabled: false });
    const missing = await api.patch(`${BASE}/access-token`, { enabled: false });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('entity.not_exists_with_id');
  });

  it('GET list: Logto keys, configured scripts only', async () => {
    await api.put(`${BASE}/access-token`, { script: 'function getCustomJwtClaims() { return {}; }', contextSample: { user: { id: 'u1' } } });
    const list = await api.get(BASE);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { key: 'jwt.accessToken', value: { script: 'function getCustomJwtClaims() { return {}; }', environmentVariables: {}, contextSample: { user: { id: 'u1' } }, blockIssuanceOnError: false } },
      { key: 'jwt.clientCredentials', value: { script: SCRIPT, environmentVariables: { TENANT: 'beta' }, blockIssuanceOnError: true, enabled: false } },
    ]);
  });

  it('DELETE: 204, then 404', async () => {
    expect((await api.del(`${BASE}/access-token`)).status).toBe(204);
    expect((await api.del(`${BASE}/access-token`)).status).toBe(404);
    expect((await api.get(`${BASE}/access-token`)).status).toBe(404);
  });

  it('every change is an audited data event without variable values', async () => {
    const events = await db.auditLog.findMany({ where: { key: { in: ['JwtCustomizer.Updated', 'JwtCustomizer.Deleted'] } }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => `${e.key} ${(e.payload as any).entityId}`)).toEqual([
      'JwtCustomizer.Updated client-credentials',
      'JwtCustomizer.Updated client-credentials',
      'JwtCustomizer.Updated client-credentials',
      'JwtCustomizer.Updated access-token',
      'JwtCustomizer.Deleted access-token',
    ]);
    const first = events[0]!.payload as any;
    expect(first.actor).toEqual({ type: 'application', id: BOOTSTRAP_ID });
    expect(first.before).toBeUndefined();
    expect(first.after).toEqual({
      tokenType: 'client-credentials',
      enabled: true,
      blockIssuanceOnError: false,
      scriptBytes: Buffer.byteLength(SCRIPT),
      scriptSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      environmentVariables: { TENANT: '******', API_KEY: '******' },
    });
    const all = await db.auditLog.findMany();
    for (const row of all) expect(JSON.stringify(row.payload)).not.toContain('secret-value-1');
  });
});

describe('validation', () => {
  const put = (body: unknown, type = 'client-credentials') => api.put(`${BASE}/${type}`, body);

  it('an unknown token type is a 400 naming the parameter', async () => {
    const res = await api.get(`${BASE}/id-token`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'guard.invalid_input', field: 'tokenTypePath' });
  });

  it('a draft that compiles is saved as Logto does, even without getCustomJwtClaims or with an empty script', async () => {
    expect((await api.del(`${BASE}/client-credentials`)).status).toBe(204); // from the CRUD tests
    const res = await put({ script: 'const claims = () => ({});' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ script: 'const claims = () => ({});', environmentVariables: {}, blockIssuanceOnError: false });
    for (const script of ['', 'abc', 'new script']) {
      expect(await put({ script })).toMatchObject({ status: 200, body: { script } });
    }
    expect((await api.del(`${BASE}/client-credentials`)).status).toBe(204);
    // Logto's delete of what is absent: 404 `entity.not_found` (reads say `entity.not_exists_with_id`).
    expect(await api.del(`${BASE}/client-credentials`)).toMatchObject({ status: 404, body: { code: 'entity.not_found' } });
  });

  it('a script with a syntax error is saved as Logto saves it (it fails at issuance, see jwt-customizer-issuance)', async () => {
    const script = 'function getCustomJwtClaims() {\n  return { a: 1 ;\n}';
    expect(await put({ script })).toMatchObject({ status: 201, body: { script } });
    expect(await api.patch(`${BASE}/client-credentials`, { script: 'new script client credentials' })).toMatchObject({ status: 200, body: { script: 'new script client credentials' } });
    expect((await api.del(`${BASE}/client-credentials`)).status).toBe(204);
    expect(await api.get(BASE)).toMatchObject({ status: 200, body: [] });
  });

  it('top-level code that throws is saved (it fails at issuance); saving never runs the script', async () => {
    const throwing = await put({ script: 'null.x;\nfunction getCustomJwtClaims() { return {}; }' });
    expect(throwing.status).toBe(201);
    await api.del(`${BASE}/client-credentials`);
    // The body would deny and loop; saving does not run it.
    const body = await put({ script: 'function getCustomJwtClaims({ api }) { api.denyAccess("x"); for (;;) {} }', enabled: false });
    expect(body.status).toBe(201);
    await api.del(`${BASE}/client-credentials`);
  });

  it('size and shape limits name the field', async () => {
    const big = `function getCustomJwtClaims() { return {}; }\n//${'x'.repeat(50 * 1024)}`;
    expect(await put({ script: big })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'script' } });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`V${i}`, 'v']));
    expect(await put({ script: SCRIPT, environmentVariables: many })).toMatchObject({ status: 400, body: { field: 'environmentVariables' } });
    expect(await put({ script: SCRIPT, environmentVariables: { A: 1 } })).toMatchObject({ status: 400, body: { field: 'environmentVariables.A' } });
    expect(await put({ script: SCRIPT, tokenSample: [1] })).toMatchObject({ status: 400, body: { field: 'tokenSample' } });
    expect(await put({ script: SCRIPT, surprise: true })).toMatchObject({ status: 400, body: { field: 'surprise' } });
    expect(await put({})).toMatchObject({ status: 400, body: { field: 'script' } });
    expect((await api.get(`${BASE}/client-credentials`)).status).toBe(404); // nothing half-written
  });
});

describe('POST /api/configs/jwt-customizer/test', () => {
  const test = (body: Record<string, unknown>) => api.post(`${BASE}/test`, { tokenType: 'client-credentials', token: { clientId: 'app-1', aud: 'https://api' }, ...body });

  it('200 with the claims (nothing is saved)', async () => {
    const res = await test({ script: SCRIPT, environmentVariables: { TENANT: 'acme' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tenant: 'acme', client: 'app-1' });
    expect((await api.get(`${BASE}/client-credentials`)).status).toBe(404);
  });

  it('access-token scripts get the sample context', async () => {
    const res = await api.post(`${BASE}/test`, {
      tokenType: 'access-token',
      script: 'const getCustomJwtClaims = ({ token, context }) => ({ user: context.user.id, account: token.accountId });',
      token: { accountId: 'u1', kind: 'AccessToken' },
      context: { user: { id: 'u1' } },
    });
    expect(res).toMatchObject({ status: 200, body: { user: 'u1', account: 'u1' } });
  });

  it('403 when the script denies', async () => {
    const res = await test({ script: 'const getCustomJwtClaims = ({ api }) => api.denyAccess("not this one");' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 'jwt_customizer.general', message: 'not this one', data: { kind: 'denied', durationMs: expect.any(Number) } });
  });

  it('422 with kind and position for a syntax error', async () => {
    const res = await test({ script: 'const getCustomJwtClaims = () => {\n  return { a: };\n};' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      code: 'jwt_customizer.general',
      message: expect.stringMatching(/^SyntaxError: /),
      data: { kind: 'syntax', line: 2, column: expect.any(Number), durationMs: expect.any(Number) },
    });
  });

  it('422 with kind and position for a runtime error, and for a timeout', async () => {
    const runtime = await test({ script: 'function getCustomJwtClaims({ context }) {\n  return { n: context.missing.name };\n}' });
    expect(runtime.status).toBe(422);
    expect(runtime.body.data).toMatchObject({ kind: 'runtime', line: 2 });
    const timeout = await test({ script: 'function getCustomJwtClaims() { while (true) {} }' });
    expect(timeout.status).toBe(422);
    expect(timeout.body).toMatchObject({ code: 'jwt_customizer.general', message: 'Script exceeded its time limit', data: { kind: 'timeout' } });
    const invalid = await test({ script: 'function getCustomJwtClaims() { return [1, 2]; }' });
    expect(invalid.body).toMatchObject({ data: { kind: 'invalid_result' } });
  });

  it('environment variable values are redacted from the error it returns, as in the audit log', async () => {
    const res = await test({
      script: 'function getCustomJwtClaims({ environmentVariables: env }) {\n  throw new Error(`upstream refused ${env.API_KEY}`);\n}',
      environmentVariables: { API_KEY: 'sk-test-4f1c9a' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ code: 'jwt_customizer.general', message: 'Error: upstream refused [redacted: API_KEY]', data: { kind: 'runtime', line: 2, column: expect.any(Number), durationMs: expect.any(Number) } });
  });

  it('400 for a malformed body (access-token needs a context)', async () => {
    const res = await api.post(`${BASE}/test`, { tokenType: 'access-token', script: SCRIPT, token: {} });
    expect(res).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'context' } });
  });
});

describe('scopes', () => {
  it('read:configs reads; writing and testing need write:configs', async () => {
    const scopes = await api.get(`/api/resources/${MANAGEMENT_RESOURCE_ID}/scopes?page_size=100`);
    const readId = scopes.body.find((s: { name: string }) => s.name === 'read:configs').id as string;
    const role = await api.post('/api/roles', { name: 'configs-reader', description: '', type: 'MachineToMachine', scopeIds: [readId] });
    const app = await api.post('/api/applications', { name: 'Config reader', type: 'MachineToMachine' });
    await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] });
    const reader = await managementClient(sigil, 'read:configs', { id: app.body.id, secret: app.body.secret });
    expect((await reader.get(BASE)).status).toBe(200);
    expect((await reader.put(`${BASE}/client-credentials`, { script: SCRIPT })).status).toBe(403);
    expect((await reader.post(`${BASE}/test`, { tokenType: 'client-credentials', script: SCRIPT, token: {} })).status).toBe(403);
  });
});
