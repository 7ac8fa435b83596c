// Foundation behaviour beyond the wire protocol: audit write path, storage of secrets, bootstrap, CLI,
// configuration errors, and how quickly a second instance on the same database sees a change.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, ROOT, managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const run = promisify(execFile);

let sigil: Sigil;
let m2m: Awaited<ReturnType<typeof setupM2M>>;

beforeAll(async () => {
  sigil = await startSigil();
  m2m = await setupM2M(sigil);
});
afterAll(async () => sigil?.stop());

describe('audit write path', () => {
  it('records every token request, success or failure, with the error code and never a secret', async () => {
    const ua = `audit-probe-${Date.now()}`;
    const headers = { 'user-agent': ua, 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await fetch(`${sigil.url}/oidc/token`, {
      method: 'POST',
      headers: { ...headers, authorization: `Basic ${Buffer.from(`${m2m.app.id}:${m2m.app.secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products delete:products' }),
    });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${sigil.url}/oidc/token`, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: m2m.app.id, client_secret: 'not-the-secret' }),
    });
    expect(bad.status).toBe(401);
    const db = openDb(sigil.databaseUrl);
    try {
      const rows = await db.auditLog.findMany({ where: { key: 'ExchangeTokenBy.ClientCredentials', applicationId: m2m.app.id }, orderBy: { createdAt: 'asc' } });
      const mine = rows.filter((r) => (r.payload as { userAgent?: string }).userAgent === ua);
      expect(mine.map((r) => r.result)).toEqual(['Success', 'Error']);
      expect(mine[0]!.payload).toMatchObject({ key: 'ExchangeTokenBy.ClientCredentials', result: 'Success', applicationId: m2m.app.id, resource: m2m.indicator, scope: 'read:products', ip: '127.0.0.1', userAgent: ua });
      expect(mine[1]!.payload).toMatchObject({ result: 'Error', error: { code: 'invalid_client', description: 'client authentication failed' } });
      const everything = JSON.stringify(await db.auditLog.findMany());
      expect(everything).not.toContain(m2m.app.secret);
      expect(everything).not.toContain('not-the-secret');
      expect(everything).not.toContain(BOOTSTRAP_SECRET);
    } finally {
      await db.$disconnect();
    }
  });

  it('stores app secrets and opaque tokens only as keyed hashes, and private keys encrypted', async () => {
    const db = openDb(sigil.databaseUrl);
    try {
      const secrets = await db.applicationSecret.findMany({ where: { applicationId: m2m.app.id } });
      expect(secrets.length).toBeGreaterThan(0);
      for (const s of secrets) {
        expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(s.hash).not.toContain(m2m.app.secret);
      }
      const keys = await db.signingKey.findMany();
      for (const k of keys) {
        expect(k.encryptedPrivateKey).toMatch(/^v1\./);
        expect(JSON.stringify(k)).not.toMatch(/"d":/);
        expect(k.publicJwk).not.toHaveProperty('d');
      }
    } finally {
      await db.$disconnect();
    }
  });
});

describe('bootstrap', () => {
  it('seeds the Management API resource, its scopes and the preset role; bootstrap client holds it', async () => {
    const api = await managementClient(sigil);
    const resources = await api.get('/api/resources?includeScopes=true&page_size=100');
    const management = resources.body.find((r: { indicator: string }) => r.indicator === `${sigil.url}/api`);
    expect(management).toMatchObject({ name: 'Logto Management API', isBuiltIn: true, accessTokenTtl: 3600 });
    expect(management.scopes.map((s: { name: string }) => s.name)).toContain('all');
    const roles = await api.get(`/api/applications/${BOOTSTRAP_ID}/roles`);
    expect(roles.body.map((r: { name: string }) => r.name)).toEqual(['Management API access']);
    const patch = await api.patch(`/api/resources/${management.id}`, { name: 'x' });
    expect(patch.status).toBe(400); // Logto's status for resource.cannot_modify_management_api
  });

  it('is idempotent across restarts', async () => {
    await sigil.restart();
    const api = await managementClient(sigil);
    const apps = await api.get('/api/applications?search=Bootstrap&page=1');
    expect(apps.headers.get('total-number')).toBe('1');
    const db = openDb(sigil.databaseUrl);
    try {
      expect(await db.signingKey.count()).toBe(1);
      expect(await db.role.count({ where: { name: 'Management API access' } })).toBe(1);
    } finally {
      await db.$disconnect();
    }
    // The existing app still works after the restart (caches rebuilt, keys decrypted).
    expect((await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app)).status).toBe(200);
  });
});

describe('a second instance on the same database', () => {
  it('sees a role change within SIGIL_CACHE_TTL_MS', async () => {
    const second = await startSigil({ databaseUrl: sigil.databaseUrl, dataDir: sigil.dataDir, env: { SIGIL_PUBLIC_URL: sigil.url } });
    try {
      const viaSecond = () => tokenRequest(second, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products delete:products' }, m2m.app);
      expect((await viaSecond()).body.scope).toBe('read:products');
      // Grant delete:products through the FIRST instance.
      await m2m.api.post(`/api/roles/${m2m.role.id}/scopes`, { scopeIds: [m2m.scopes['delete:products']] });
      const changedAt = Date.now();
      let seenAfter = -1;
      while (Date.now() - changedAt < 5000) {
        if ((await viaSecond()).body.scope === 'read:products delete:products') {
          seenAfter = Date.now() - changedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seenAfter).toBeGreaterThanOrEqual(0);
      expect(seenAfter).toBeLessThanOrEqual(1000 + 300); // default SIGIL_CACHE_TTL_MS + one request
    } finally {
      await second.stop();
    }
  });
});

describe('CLI', () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'server/cli/index.ts'), ...args], { cwd: ROOT, env: { ...sigil.env } as NodeJS.ProcessEnv });

  it('creates an M2M app with roles, prints its credentials once, lists apps and rotates secrets', async () => {
    const created = JSON.parse((await cli(['create-app', '--name', 'cli app', '--role', 'Management API access', '--json'])).stdout);
    expect(created).toMatchObject({ id: expect.any(String), secret: expect.stringMatching(/^[\w-]{43}$/) });
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope: 'all' }, created);
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('all');
    const list = (await cli(['list-apps'])).stdout;
    expect(list).toContain(created.id);
    expect(list).not.toContain(created.secret);
    const rotated = JSON.parse((await cli(['rotate-secret', '--app', created.id, '--json'])).stdout);
    expect(rotated.value).not.toBe(created.secret);
    await new Promise((r) => setTimeout(r, 1200)); // the server's cache bound
    expect((await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api` }, created)).status).toBe(401);
    expect((await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api` }, { id: created.id, secret: rotated.value })).status).toBe(200);
  });

  it('fails clearly on bad usage', async () => {
    const error = await cli(['create-app']).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('--name is required');
    const unknownRole = await cli(['create-app', '--name', 'x', '--role', 'nope']).catch((e) => e);
    expect(unknownRole.stderr).toContain('no role named or with id "nope"');
  });
});

describe('configuration', () => {
  it('refuses to start with a message naming the bad variable', async () => {
    const bad = async (env: Record<string, string>) => {
      const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv }).catch((e) => e);
      return { code: r.code as number, stderr: String(r.stderr) };
    };
    expect(await bad({ PORT: 'eighty' })).toMatchObject({ code: 78, stderr: expect.stringContaining('PORT:') });
    expect(await bad({ DATABASE_URL: 'mysql://x' })).toMatchObject({ code: 78, stderr: expect.stringContaining('DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)') });
    expect(await bad({ SIGIL_ENV: 'production' })).toMatchObject({ code: 78, stderr: expect.stringContaining('SIGIL_SECRET: required in production') });
    expect(await bad({ SIGIL_SECRET: 'short' })).toMatchObject({ code: 78, stderr: expect.stringContaining('SIGIL_SECRET: must be at least 32 characters') });
    expect(await bad({ SIGIL_BOOTSTRAP_CLIENT_ID: 'x' })).toMatchObject({ code: 78, stderr: expect.stringContaining('SIGIL_BOOTSTRAP_CLIENT_ID and SIGIL_BOOTSTRAP_CLIENT_SECRET must be set together') });
  });
});
