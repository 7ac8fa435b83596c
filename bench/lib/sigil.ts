// Starts Sigil as the self-hosted server (`server/main.ts`, what `npm start` runs) on a fresh SQLite
// database in a temp data directory, and gives the bench a Management API client and an audit counter.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../server/db/generated/sqlite/client.ts';
import { basic, FORM, waitFor } from './http.ts';
import { mainThreadProfile, profileArgs } from './profile.ts';

export const ROOT = join(import.meta.dirname, '../..');
const BOOTSTRAP = { id: 'bench-bootstrap', secret: 'bench-bootstrap-secret-0123456789abcdef' };

export type ManagementApi = {
  /** Calls the Management API; throws with the response body unless the status is 2xx. */
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
};

export type SigilServer = {
  url: string;
  pid: number;
  tokenPath: string;
  dataDir: string;
  databaseUrl: string;
  api: ManagementApi;
  /** Audit rows written so far, optionally only for one application (read from the SQLite file by a second connection). */
  auditCount(applicationId?: string): Promise<number>;
  logs(): string;
  /** Stops the server; resolves with the CPU profile file when profiling. */
  stop(): Promise<string | undefined>;
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

/** Builds the Next app when missing or stale (the console; the token path itself never goes through Next). */
export async function buildSigil(skipBuild: boolean): Promise<void> {
  const buildId = join(ROOT, process.env.SIGIL_DIST_DIR || '.next', 'BUILD_ID');
  if (skipBuild && existsSync(buildId)) return;
  // A variable specifier: scripts/start.mjs is plain JS without type declarations.
  const startScript = pathToFileURL(join(ROOT, 'scripts/start.mjs')).href;
  const { ensureBuild } = (await import(startScript)) as { ensureBuild: () => void };
  ensureBuild();
}

export async function startSigil(options: { profileDir?: string } = {}): Promise<SigilServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-bench-'));
  const dbFile = join(dataDir, 'sigil.db');
  const databaseUrl = `file:${dbFile}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    SIGIL_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    SIGIL_HOST: '127.0.0.1',
    SIGIL_PUBLIC_URL: url,
    SIGIL_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SIGIL_SECRET: 'bench-secret-0123456789-0123456789-0123456789',
    SIGIL_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.id,
    SIGIL_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
    SIGIL_LOG_LEVEL: 'warn',
    ...(process.env.SIGIL_DIST_DIR ? { SIGIL_DIST_DIR: process.env.SIGIL_DIST_DIR } : {}),
  };
  const nodeArgs = ['--import', 'tsx', join(ROOT, 'server/main.ts')];
  const profileDir = options.profileDir ? join(options.profileDir, 'sigil') : undefined;
  if (profileDir) nodeArgs.unshift(...profileArgs(profileDir));
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`Sigil exited with ${code}:\n${output}`))),
  );
  exited.catch(() => undefined);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    }
    await reader?.$disconnect();
    rmSync(dataDir, { recursive: true, force: true });
    return profileDir ? mainThreadProfile(profileDir) : undefined;
  };

  let reader: PrismaClient | undefined;
  try {
    await waitFor('Sigil', 180_000, async () => (await fetch(`${url}/oidc/jwks`)).ok, exited);
    const api = await managementApi(url);
    const counter = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: dbFile, timeout: 5000 }) });
    reader = counter;
    const auditCount = (applicationId?: string) => counter.auditLog.count({ where: applicationId ? { applicationId } : {} });
    return { url, pid: child.pid!, tokenPath: '/oidc/token', dataDir, databaseUrl, api, auditCount, logs: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
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

