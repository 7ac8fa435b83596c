// Custom token claims at issuance, on a real server: client_credentials with a getCustomJwtClaims script
// (JWT and opaque), denial, both failure policies, reserved claims, hostile scripts, and the audit trail.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { openDb } from '../helpers/db.ts';
import { basic, managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

type M2M = Awaited<ReturnType<typeof setupM2M>>;
type Api = Awaited<ReturnType<typeof managementClient>>;

let sigil: Sigil;
let api: Api;
let jwtSetup: M2M;
let opaqueSetup: M2M;
let db: Db;

const CC = '/api/configs/jwt-customizer/client-credentials';
const SECRET_VALUE = 'env-secret-value-7f3a91c2';

beforeAll(async () => {
  sigil = await startSigil();
  jwtSetup = await setupM2M(sigil);
  opaqueSetup = await setupM2M(sigil, { tokenFormat: 'opaque' });
  api = await managementClient(sigil);
  db = openDb(sigil.databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
});

async function useScript(script: string, extra: Record<string, unknown> = {}) {
  const res = await api.put(CC, { script, environmentVariables: { TENANT: 'acme', API_KEY: SECRET_VALUE }, ...extra });
  expect([200, 201]).toContain(res.status);
}

function token(setup: M2M = jwtSetup, scope = 'read:products write:products') {
  return tokenRequest(sigil, { grant_type: 'client_credentials', resource: setup.indicator, scope }, setup.app);
}

/** The newest audit rows with this key (payloads). */
async function auditRows(key: string, since: Date): Promise<Array<Record<string, any>>> {
  const rows = await db.auditLog.findMany({ where: { key, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' } });
  return rows.map((r) => r.payload as Record<string, any>);
}

const TYPICAL = `
/** Typical script: reads the context and the environment, returns three claims. */
const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  return {
    tenant: environmentVariables.TENANT,
    app_name: context.application.name,
    roles: context.roles.map((r) => r.name),
  };
};`;

describe('issuance with a client-credentials script', () => {
  it('without a script, the token carries only the reserved claims and nothing runs', async () => {
    await api.del(CC); // none yet: 404 is fine
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    const payload = decodeJwt(res.body.access_token);
    expect(Object.keys(payload).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
    const [record] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(record!.customClaims).toBeUndefined();
  });

  it('JWT: the claims are in the signed token; the script saw Logto-shaped token and context (+ roles)', async () => {
    await useScript(TYPICAL);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.body.access_token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), {
      issuer: `${sigil.url}/oidc`,
      audience: jwtSetup.indicator,
    });
    expect(payload).toMatchObject({ tenant: 'acme', app_name: 'Stats service', roles: [jwtSetup.role.name], sub: jwtSetup.app.id });
    const [record] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(record!.result).toBe('Success');
    expect(record!.customClaims.durationMs).toBeGreaterThan(0);
    expect(record!.customClaims.failed).toBeUndefined();
  });

  it('the token and context have exactly the documented shapes', async () => {
    await useScript('const getCustomJwtClaims = ({ token, context }) => ({ seen: { token, context } });');
    const res = await token();
    const { seen } = decodeJwt(res.body.access_token) as { seen: { token: Record<string, unknown>; context: any } };
    expect(seen.token).toEqual({
      jti: decodeJwt(res.body.access_token).jti,
      aud: jwtSetup.indicator,
      scope: 'read:products write:products',
      clientId: jwtSetup.app.id,
      kind: 'ClientCredentials',
    });
    expect(seen.context.application).toEqual({
      id: jwtSetup.app.id,
      name: 'Stats service',
      description: null,
      type: 'MachineToMachine',
      isThirdParty: false,
      customClientMetadata: expect.any(Object),
      createdAt: expect.any(Number),
    });
    expect(JSON.stringify(seen.context)).not.toMatch(/secret/i);
    expect(seen.context.roles).toEqual([
      {
        id: jwtSetup.role.id,
        name: jwtSetup.role.name,
        description: 'M2M',
        scopes: expect.arrayContaining([
          { id: jwtSetup.scopes['read:products'], name: 'read:products', description: null, resourceId: jwtSetup.resource.id, resource: jwtSetup.indicator },
        ]),
      },
    ]);
  });

  it('opaque: the merged claims are stored and introspection shows them', async () => {
    await useScript(TYPICAL);
    const res = await token(opaqueSetup);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^[\w-]{43}$/);
    const intro = await fetch(`${sigil.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(opaqueSetup.app.id, opaqueSetup.app.secret) },
      body: new URLSearchParams({ token: res.body.access_token }).toString(),
    });
    const body = (await intro.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ active: true, tenant: 'acme', app_name: 'Stats service', roles: [opaqueSetup.role.name], sub: opaqueSetup.app.id, client_id: opaqueSetup.app.id });
  });

  it('reserved claims can be neither replaced nor removed by a script', async () => {
    await useScript(`function getCustomJwtClaims() {
      return { sub: 'evil', iss: 'https://evil', aud: 'https://evil', exp: 9999999999, iat: 1, nbf: 1, scope: 'admin',
        client_id: 'evil', act: { sub: 'evil' }, cnf: { jkt: 'evil' }, organization_id: 'evil', jti: 'evil', kept: 'yes' };
    }`);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    const payload = decodeJwt(res.body.access_token);
    expect(payload).toEqual({
      jti: expect.not.stringMatching(/^evil$/),
      sub: jwtSetup.app.id,
      iat: expect.any(Number),
      exp: (payload.iat as number) + 3600,
      scope: 'read:products write:products',
      client_id: jwtSetup.app.id,
      iss: `${sigil.url}/oidc`,
      aud: jwtSetup.indicator,
      kept: 'yes',
    });
    const [record] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(record!.customClaims.ignoredClaims.sort()).toEqual(['act', 'aud', 'client_id', 'cnf', 'exp', 'iat', 'iss', 'jti', 'nbf', 'organization_id', 'scope', 'sub']);
  });

  it('api.denyAccess(message) -> access_denied with the message; audited', async () => {
    await useScript(`const getCustomJwtClaims = async ({ context, api }) => {
      if (context.application.name === 'Stats service') api.denyAccess('stats service is suspended');
      return {};
    };`);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'access_denied', error_description: 'stats service is suspended', code: 'oidc.access_denied', message: 'stats service is suspended' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const [issue] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(issue).toMatchObject({ result: 'Error', error: { code: 'access_denied', description: 'stats service is suspended' }, customClaims: { denied: true } });
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record).toMatchObject({ result: 'Error', applicationId: jwtSetup.app.id, error: { code: 'denied', description: 'stats service is suspended' }, issuance: 'blocked' });
  });

  it('a denial the script catches is still a denial', async () => {
    await useScript(`const getCustomJwtClaims = ({ api }) => { try { api.denyAccess('no'); } catch (e) {} return { ok: 1 }; };`);
    const res = await token();
    expect(res.body).toEqual({ error: 'access_denied', error_description: 'no', code: 'oidc.access_denied', message: 'no' });
  });
});

describe('failure policies', () => {
  const RUNTIME = `const getCustomJwtClaims = ({ context }) => {
  const missing = context.nothing;
  return { x: missing.field };
};`;

  it('default: a runtime error issues the token without claims and records kind, message and position', async () => {
    await useScript(RUNTIME);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    const payload = decodeJwt(res.body.access_token);
    expect(payload.x).toBeUndefined();
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record).toMatchObject({
      key: 'JwtCustomizer.ClientCredentials',
      result: 'Error',
      applicationId: jwtSetup.app.id,
      error: { code: 'runtime', description: expect.stringMatching(/TypeError: cannot read property 'field' of undefined/) },
      line: 3,
      column: expect.any(Number),
      tokenId: payload.jti,
      issuance: 'issued_without_claims',
    });
    const [issue] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(issue).toMatchObject({ result: 'Success', customClaims: { failed: 'runtime' } });
  });

  it('default: a saved script with a syntax error issues the token without claims, recorded as kind syntax', async () => {
    await useScript('const getCustomJwtClaims = () => ({ x: 1 ;');
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.access_token).x).toBeUndefined();
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record).toMatchObject({ result: 'Error', error: { code: 'syntax' }, issuance: 'issued_without_claims' });
  });

  it('default: a timeout (while(true){}) issues the token without claims; the server keeps answering', async () => {
    await useScript('const getCustomJwtClaims = () => { while (true) {} };');
    const since = new Date();
    const started = Date.now();
    const res = await token();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(Object.keys(decodeJwt(res.body.access_token)).sort()).toEqual(['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub']);
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record).toMatchObject({ error: { code: 'timeout', description: 'Script exceeded its time limit' }, issuance: 'issued_without_claims' });
    expect((await fetch(`${sigil.url}/oidc/jwks`)).status).toBe(200);
  });

  it("blockIssuanceOnError: a runtime error fails the request with Logto's invalid_request (never a 5xx) and is audited", async () => {
    await useScript(RUNTIME, { blockIssuanceOnError: true });
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the custom claims script failed (runtime) and blockIssuanceOnError is set', code: 'oidc.invalid_request', message: 'the custom claims script failed (runtime) and blockIssuanceOnError is set' });
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record).toMatchObject({ error: { code: 'runtime' }, line: 3, issuance: 'blocked' });
    const [issue] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(issue).toMatchObject({ result: 'Error', error: { code: 'invalid_request' }, customClaims: { failed: 'runtime', blocked: true } });
  });

  it('blockIssuanceOnError: a timeout fails the request too', async () => {
    await useScript('async function getCustomJwtClaims() { await null; for (;;) {} }', { blockIssuanceOnError: true });
    const res = await token();
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', error_description: 'the custom claims script failed (timeout) and blockIssuanceOnError is set' });
  });

  it('blockIssuanceOnError: a saved script with a syntax error fails the request the same way', async () => {
    await useScript('const getCustomJwtClaims = () => ({ x: 1 ;', { blockIssuanceOnError: true });
    expect(await token()).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'the custom claims script failed (syntax) and blockIssuanceOnError is set' } });
  });

  it("SIGIL_JWT_CUSTOMIZER_BLOCKING=false: Logto's released behaviour, a failing script never blocks (the flag is kept)", async () => {
    const lenient = await startSigil({ env: { SIGIL_JWT_CUSTOMIZER_BLOCKING: 'false' } });
    try {
      const setup = await setupM2M(lenient);
      const admin = await managementClient(lenient);
      const saved = await admin.put(CC, { script: RUNTIME, blockIssuanceOnError: true });
      expect(saved).toMatchObject({ status: 201, body: { blockIssuanceOnError: true } });
      const res = await tokenRequest(lenient, { grant_type: 'client_credentials', resource: setup.indicator }, setup.app);
      expect(res.status).toBe(200);
      expect(decodeJwt(res.body.access_token)).toMatchObject({ client_id: setup.app.id });
    } finally {
      await lenient.stop();
    }
  });

  it('a disabled script never runs (no claims, no failure record), even a failing one', async () => {
    await useScript(RUNTIME, { blockIssuanceOnError: true, enabled: false });
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    expect(await auditRows('JwtCustomizer.ClientCredentials', since)).toEqual([]);
    const [issue] = await auditRows('ExchangeTokenBy.ClientCredentials', since);
    expect(issue!.customClaims).toBeUndefined();
  });

  it('Management API tokens are never customised (a denying script cannot lock operators out)', async () => {
    await useScript(`const getCustomJwtClaims = ({ api }) => api.denyAccess('nobody');`);
    const res = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all' }, { id: 'bootstrap-admin', secret: 'bootstrap-secret-for-tests-0123456789' });
    expect(res.status).toBe(200);
    expect((await token()).body.error).toBe('access_denied');
  });

  it('environment variable values are redacted from script errors and denials (audit log and error_description)', async () => {
    const since = new Date();
    await useScript(`const getCustomJwtClaims = ({ environmentVariables: env }) => {
  throw new Error('key ' + env.API_KEY + ' rejected');
};`);
    expect((await token()).status).toBe(200);
    await useScript('const getCustomJwtClaims = ({ environmentVariables }) => { throw environmentVariables.API_KEY; };');
    expect((await token()).status).toBe(200);
    await useScript('const getCustomJwtClaims = async ({ environmentVariables, api }) => api.denyAccess(`no access with ${environmentVariables.API_KEY}`);');
    const denied = await token();
    expect(denied.body).toEqual({ error: 'access_denied', error_description: 'no access with [redacted: API_KEY]', code: 'oidc.access_denied', message: 'no access with [redacted: API_KEY]' });
    const records = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(records.map((r) => [r.error.code, r.error.description, r.line ?? null]).reverse()).toEqual([
      ['runtime', 'Error: key [redacted: API_KEY] rejected', 2],
      ['runtime', 'Uncaught "[redacted: API_KEY]"', null],
      ['denied', 'no access with [redacted: API_KEY]', null],
    ]);
  });

  it('environment variable values never reach the audit log', async () => {
    const rows = await db.auditLog.findMany();
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(JSON.stringify(row.payload)).not.toContain(SECRET_VALUE);
    const updated = await db.auditLog.findFirstOrThrow({ where: { key: 'JwtCustomizer.Updated' }, orderBy: { createdAt: 'desc' } });
    expect((updated.payload as any).after.environmentVariables).toEqual({ TENANT: '******', API_KEY: '******' });
  });
});

describe('hostile scripts are contained', () => {
  it('reaching the host (constructor chain to process, require, globalThis) fails inside the sandbox; the next issuance is normal', async () => {
    await useScript(`const getCustomJwtClaims = () => {
      const p = (() => {}).constructor.constructor('return process')();
      return { pid: p.pid, env: p.env };
    };`);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    const payload = decodeJwt(res.body.access_token);
    expect(payload.pid).toBeUndefined();
    expect(payload.env).toBeUndefined();
    const [record] = await auditRows('JwtCustomizer.ClientCredentials', since);
    expect(record!.error.code).toBe('runtime');
    expect(record!.error.description).toMatch(/Code generation from strings is not allowed/);

    await useScript(`const getCustomJwtClaims = () => ({
      process: typeof process, require: typeof require, globalKeys: Object.getOwnPropertyNames(globalThis).filter((k) => /process|require|module|Buffer/.test(k)),
    });`);
    const probe = decodeJwt((await token()).body.access_token);
    expect(probe).toMatchObject({ process: 'undefined', require: 'undefined', globalKeys: [] });

    await useScript(TYPICAL);
    const next = await token();
    expect(next.status).toBe(200);
    expect(decodeJwt(next.body.access_token)).toMatchObject({ tenant: 'acme', app_name: 'Stats service' });
  });

  it('a script exhausting memory or the stack fails alone; the server stays up and the next request is normal', async () => {
    // String doubling reaches the memory limit in a few dozen steps; an array of arrays makes the collector
    // rescan everything near the limit and, on a loaded machine, can meet the 1 s time limit first.
    await useScript("const getCustomJwtClaims = () => { let s = 'x'; for (;;) s += s; };");
    const since = new Date();
    expect((await token()).status).toBe(200);
    await useScript('function getCustomJwtClaims() { const f = (n) => f(n + 1) + 1; return { n: f(0) }; }');
    expect((await token()).status).toBe(200);
    const kinds = (await auditRows('JwtCustomizer.ClientCredentials', since)).map((r) => r.error.code).sort();
    expect(kinds).toEqual(['memory', 'runtime']);
    await useScript(TYPICAL);
    expect(decodeJwt((await token()).body.access_token)).toMatchObject({ tenant: 'acme' });
  });
});
