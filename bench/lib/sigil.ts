// Starts Sigil: the self-hosted server (`server/main.ts`, what `npm start` runs) on a fresh SQLite database in
// a temp data directory, or `next start` (the Vercel path) on an existing one. The shared self-hosted server
// also gives the bench a Management API client and an audit row counter (a second, read-only connection).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { startChild, waitFor } from './child.ts';
import { basic, FORM, freePort, postForm, type Client } from './http.ts';
import { profileArgs } from './profile.ts';
import type { Server } from './scenario.ts';

const BOOTSTRAP: Client = { id: 'bench-bootstrap', secret: 'bench-bootstrap-secret-0123456789abcdef' };

export type Mode = 'self-hosted' | 'next';

export type ManagementApi = {
  /** Calls the Management API; throws with the response body unless the status is 2xx. */
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
};

export type SigilServer = Server & {
  root: string;
  dataDir: string;
  databaseUrl: string;
  api: ManagementApi;
  /** Audit rows written so far, optionally only for one application. */
  auditCount(applicationId?: string): number;
  /** Audit payloads of one application's token requests since `since` (ms), oldest first. */
  auditPayloads(applicationId: string, since: number): Array<Record<string, unknown>>;
};

/** Builds the Next app when missing or stale (the console, and the route handlers of the Vercel path). */
export async function buildSigil(root: string, skipBuild: boolean): Promise<void> {
  if (skipBuild && existsSync(join(root, process.env.SIGIL_DIST_DIR || '.next', 'BUILD_ID'))) return;
  const { ensureBuild } = (await import(pathToFileURL(join(root, 'scripts/start.mjs')).href)) as { ensureBuild: () => void };
  ensureBuild();
}

/**
 * Instances on one database are one deployment: they share its public URL (the issuer and the Management API's
 * indicator, which start-up re-asserts). The first instance on a data directory sets it; an instance started
 * with a URL of its own would move the Management API to its indicator, and the others' admin tokens would
 * no longer match it.
 */
const publicUrls = new Map<string, string>();

function publicUrlOf(dataDir: string, port: number): string {
  if (!publicUrls.has(dataDir)) publicUrls.set(dataDir, `http://127.0.0.1:${port}`);
  return publicUrls.get(dataDir)!;
}

function sigilEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const url = publicUrlOf(dataDir, port);
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    SIGIL_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    SIGIL_HOST: '127.0.0.1',
    SIGIL_PUBLIC_URL: url,
    SIGIL_DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, 'sigil.db')}`,
    SIGIL_SECRET: 'bench-secret-0123456789-0123456789-0123456789',
    SIGIL_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.id,
    SIGIL_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
    SIGIL_LOG_LEVEL: 'warn',
    ...(process.env.SIGIL_DIST_DIR ? { SIGIL_DIST_DIR: process.env.SIGIL_DIST_DIR } : {}),
  };
}

function spawnSigil(options: { root: string; mode: Mode; dataDir: string; cores?: string; profileDir?: string }, port: number) {
  const { root, mode } = options;
  const args = mode === 'next'
    ? [join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1']
    : ['--import', 'tsx', join(root, 'server/main.ts')];
  if (options.profileDir) args.unshift(...profileArgs(options.profileDir));
  return startChild(`Sigil (${mode})`, process.execPath, args, { cwd: root, env: sigilEnv(options.dataDir, port), cores: options.cores });
}

/** One Sigil process on `dataDir` (its database must be migrated for `next`), answering once it serves JWKS. */
export async function launchSigil(options: { root: string; mode: Mode; dataDir: string; cores?: string; profileDir?: string; label?: string }): Promise<Server> {
  const port = await freePort();
  const { mode } = options;
  const child = spawnSigil(options, port);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`Sigil (${mode})`, 180_000, async () => (await fetch(`${url}/oidc/jwks`)).ok, child.exited);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    label: options.label ?? (mode === 'next' ? 'next' : 'sigil'),
    url,
    pid: child.pid,
    tokenPath: '/oidc/token',
    introspectionPath: '/oidc/token/introspection',
    jwksUrl: `${url}/oidc/jwks`,
    issuer: `${publicUrlOf(options.dataDir, port)}/oidc`,
    logs: child.output,
    stop: child.stop,
  };
}

/** The shared self-hosted Sigil on a fresh database, with a Management API client and an audit counter. */
export async function startSigil(root: string, profileDir?: string): Promise<SigilServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  const server = await launchSigil({ root, mode: 'self-hosted', dataDir, profileDir });
  const dbFile = join(dataDir, 'sigil.db');
  const reader = new Database(dbFile, { readonly: true, timeout: 5000 });
  const count = reader.prepare('SELECT count(*) AS n FROM "AuditLog"');
  const countApp = reader.prepare('SELECT count(*) AS n FROM "AuditLog" WHERE "applicationId" = ?');
  const payloads = reader.prepare('SELECT "payload" FROM "AuditLog" WHERE "applicationId" = ? AND "createdAt" >= ? ORDER BY "createdAt", "id"');
  const api = await managementApi(server.url);
  // A new install signs with EC P-384 (ES384, Logto's default); the peer and the ceiling sign ES256, and a
  // P-384 signature costs several times a P-256 one. Same algorithm on every side: an ES256 key, at once.
  await api.call('POST', '/api/configs/oidc/private-keys/rotate', { signingKeyAlgorithm: 'EC-P256', rotationGracePeriod: 0 });
  return {
    ...server,
    root,
    dataDir,
    databaseUrl: `file:${dbFile}`,
    api,
    auditCount: (applicationId) => (applicationId ? (countApp.get(applicationId) as { n: number }) : (count.get() as { n: number })).n,
    auditPayloads: (applicationId, since) => (payloads.all(applicationId, since) as Array<{ payload: string }>).map((r) => JSON.parse(r.payload)),
    async stop() {
      await server.stop();
      reader.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Cold start: from spawning a Sigil process on an existing database to its first issued token (a token request
 * every 5 ms until one answers 200), ms.
 */
export async function coldStart(options: { root: string; mode: Mode; dataDir: string; client: Client; resource: string; cores?: string }): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawnSigil(options, port);
  try {
    await waitFor('first token', 60_000, async () => (await postForm(`${url}/oidc/token`, options.client, { grant_type: 'client_credentials', resource: options.resource })).status === 200, child.exited, 5);
    return performance.now() - started;
  } finally {
    await child.stop();
  }
}

async function managementApi(url: string): Promise<ManagementApi> {
  const res = await fetch(`${url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basic(BOOTSTRAP.id, BOOTSTRAP.secret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: `${url}/api`, scope: 'all' }).toString(),
  });
  const token = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !token.access_token) throw new Error(`Management API token failed: ${res.status} ${JSON.stringify(token)}`);
  return {
    async call(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token.access_token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} -> ${r.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}
