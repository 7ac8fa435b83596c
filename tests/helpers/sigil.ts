// Boots a real Sigil on a free port with a fresh database, as a child process, and talks HTTP to it.
// mode 'lean': `server/main.ts` (what `npm start` runs); mode 'next': plain `next start` (what Vercel runs).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDeploy } from '../../server/db/migrate.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const BOOTSTRAP_ID = 'bootstrap-admin';
export const BOOTSTRAP_SECRET = 'bootstrap-secret-for-tests-0123456789';

export type Mode = 'lean' | 'next';
export type Sigil = {
  url: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  env: Record<string, string>;
  logs: () => string;
  stop: () => Promise<void>;
  kill: () => Promise<void>;
  restart: () => Promise<void>;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A fresh database: a temp SQLite file, or a new PostgreSQL database when SIGIL_TEST_POSTGRES_URL is set. */
export async function freshDatabase(dataDir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.SIGIL_TEST_POSTGRES_URL;
  if (!admin) return { url: `file:${join(dataDir, 'sigil.db')}`, drop: async () => undefined };
  const name = `sigil_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}

export async function startSigil(options: { mode?: Mode; env?: Record<string, string>; databaseUrl?: string; dataDir?: string } = {}): Promise<Sigil> {
  const mode = options.mode ?? 'lean';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sigil-test-'));
  const db = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await freshDatabase(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    SIGIL_HOST: '127.0.0.1',
    SIGIL_PUBLIC_URL: url,
    SIGIL_DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    SIGIL_SECRET: 'test-secret-0123456789-0123456789-0123456789',
    SIGIL_BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
    SIGIL_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    SIGIL_LOG_LEVEL: 'warn',
    // Every Management answer must match its declared response schema (a mismatch answers 500).
    SIGIL_CHECK_RESPONSES: 'true',
    ...(process.env.SIGIL_DIST_DIR ? { SIGIL_DIST_DIR: process.env.SIGIL_DIST_DIR } : {}),
    ...options.env,
  };
  let child: ChildProcess | undefined;
  const childEnv = env as unknown as NodeJS.ProcessEnv;
  let output = '';

  const launch = async () => {
    if (mode === 'next') {
      process.env.SIGIL_ROOT ??= ROOT;
      await migrateDeploy(db.url);
      child = spawn(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } else {
      child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    }
    const proc = child;
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`Sigil exited with ${code}:\n${output}`))));
    exited.catch(() => undefined);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`Sigil did not start in time:\n${output}`);
      const ok = await Promise.race([
        fetch(`${url}/oidc/jwks`).then((r) => r.ok, () => false),
        exited,
      ]);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  const stopChild = async (signal: NodeJS.Signals) => {
    // A child killed by a signal has exitCode null and signalCode set: it has exited too.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child!.once('exit', r));
    child.kill(signal);
    await done;
  };

  await launch();
  return {
    url, port, databaseUrl: db.url, dataDir, env,
    logs: () => output,
    kill: () => stopChild('SIGKILL'),
    restart: async () => {
      await stopChild('SIGTERM');
      await launch();
    },
    stop: async () => {
      await stopChild('SIGTERM');
      await db.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export async function tokenRequest(sigil: Sigil, params: Record<string, string>, auth?: { id: string; secret: string }) {
  const res = await fetch(`${sigil.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: basic(auth.id, auth.secret) } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/** A Management API client authenticated as the bootstrap M2M app (scope `all`). */
export async function managementClient(sigil: Sigil, scope = 'all', auth = { id: BOOTSTRAP_ID, secret: BOOTSTRAP_SECRET }) {
  const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: `${sigil.url}/api`, scope }, auth);
  if (token.status !== 200) throw new Error(`management token failed: ${JSON.stringify(token.body)}`);
  const accessToken = token.body.access_token as string;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sigil.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined } as { status: number; headers: Headers; body: any };
  };
  return { accessToken, call, get: (p: string) => call('GET', p), post: (p: string, b: unknown) => call('POST', p, b), patch: (p: string, b: unknown) => call('PATCH', p, b), put: (p: string, b: unknown) => call('PUT', p, b), del: (p: string) => call('DELETE', p) };
}

/** Creates resource + scopes + M2M role + app + assignment through the Management API. */
export async function setupM2M(sigil: Sigil, opts: { indicator?: string; scopes?: string[]; grant?: string[]; tokenFormat?: 'jwt' | 'opaque'; isDefault?: boolean } = {}) {
  const api = await managementClient(sigil);
  const indicator = opts.indicator ?? `https://shopping.api/${Math.random().toString(36).slice(2, 8)}`;
  const resource = await api.post('/api/resources', { name: 'Online Shopping', indicator, ...(opts.tokenFormat ? { tokenFormat: opts.tokenFormat } : {}), ...(opts.isDefault ? { isDefault: true } : {}) });
  if (resource.status !== 201) throw new Error(JSON.stringify(resource.body));
  const scopes: Record<string, string> = {};
  for (const name of opts.scopes ?? ['read:products', 'write:products', 'delete:products']) {
    const s = await api.post(`/api/resources/${resource.body.id}/scopes`, { name });
    scopes[name] = s.body.id;
  }
  const grant = opts.grant ?? ['read:products', 'write:products'];
  const role = await api.post('/api/roles', { name: `shop-${Math.random().toString(36).slice(2, 8)}`, description: 'M2M', type: 'MachineToMachine', scopeIds: grant.map((g) => scopes[g]) });
  const app = await api.post('/api/applications', { name: 'Stats service', type: 'MachineToMachine' });
  await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] });
  return { api, indicator, resource: resource.body, scopes, role: role.body, app: { id: app.body.id as string, secret: app.body.secret as string } };
}
