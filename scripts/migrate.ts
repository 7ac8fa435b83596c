// Sigil's migration CLI (Prisma's `migrate deploy` / `migrate dev` / `migrate status` without engine
// binaries; see server/db/migrate.ts).
//
//   npx tsx scripts/migrate.ts deploy [--url URL]
//   npx tsx scripts/migrate.ts status [--url URL]
//   npx tsx scripts/migrate.ts dev --name NAME [--provider sqlite|postgresql|both] [--url URL]
//
// URL defaults to $DATABASE_URL, else file:./.sigil/sigil.db. `status` exits 1 when a migration failed,
// 3 when migrations are pending.
//
// `dev` creates the next migration from prisma/models.prisma. Without --url it works on throwaway
// databases: a temporary SQLite file, and a temporary database on $SIGIL_DEV_POSTGRES_URL (or, when
// that is unset, on a throwaway PostgreSQL cluster started with initdb/pg_ctl and removed afterwards).
// With --provider both (the default), both migrations get the same <timestamp>_<name> folder.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { migrateDeploy, migrateDev, migrateStatus, providerOf, type Provider } from '../server/db/migrate.ts';

const PG_BIN = process.env.SIGIL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

function usage(): never {
  console.error(`usage:
  tsx scripts/migrate.ts deploy [--url URL]
  tsx scripts/migrate.ts status [--url URL]
  tsx scripts/migrate.ts dev --name NAME [--provider sqlite|postgresql|both] [--url URL]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { command: string; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') usage();
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const m = arg.match(/^--([a-z-]+)(?:=(.*))?$/);
    if (!m) usage();
    const value = m[2] ?? rest[++i];
    if (value === undefined) usage();
    flags[m[1]!] = value;
  }
  return { command, flags };
}

const defaultUrl = () => process.env.DATABASE_URL || 'file:./.sigil/sigil.db';
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

// ---- Throwaway PostgreSQL ---------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** initdb + pg_ctl on a temp dir (as the postgres user when running as root). */
async function startThrowawayCluster(): Promise<{ url: string; stop(): void }> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(
      `No PostgreSQL server binaries in ${PG_BIN} (apt-get install -y postgresql), or set SIGIL_DEV_POSTGRES_URL`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'sigil-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(PG_BIN, cmd), args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const stop = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (started) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    run('pg_ctl', [
      '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
    started = true;
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    stop();
    throw new Error(`Could not start a throwaway PostgreSQL: ${err.stderr?.toString() || err.message}`);
  }
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}

/** A fresh database on a server: returns its URL and a function that drops it. */
async function temporaryDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sigil_dev_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

// ---- Commands -----------------------------------------------------------------------------------------

async function dev(name: string, providerFlag: string | undefined, urlFlag: string | undefined): Promise<void> {
  const log = (msg: string) => console.log(msg);
  if (urlFlag) {
    const provider = providerOf(urlFlag);
    if (providerFlag && providerFlag !== provider) throw new Error(`--provider ${providerFlag} does not match --url (${provider})`);
    const dir = await migrateDev(urlFlag, name, { log });
    console.log(dir ? `New migration: ${dir}` : 'No schema changes: no migration created.');
    return;
  }
  const providerArg = providerFlag ?? 'both';
  if (!['sqlite', 'postgresql', 'both'].includes(providerArg)) usage();
  const providers: Provider[] = providerArg === 'both' ? ['sqlite', 'postgresql'] : [providerArg as Provider];
  let directoryName: string | undefined;
  const created: string[] = [];
  for (const provider of providers) {
    const opts = { log: (m: string) => log(`[${provider}] ${m}`), directoryName };
    let dir: string | null;
    if (provider === 'sqlite') {
      const tmp = mkdtempSync(join(tmpdir(), 'sigil-migrate-'));
      try {
        dir = await migrateDev(`file:${join(tmp, 'dev.db')}`, name, opts);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    } else {
      const cluster = process.env.SIGIL_DEV_POSTGRES_URL ? undefined : await startThrowawayCluster();
      try {
        const db = await temporaryDatabase(process.env.SIGIL_DEV_POSTGRES_URL ?? cluster!.url);
        try {
          dir = await migrateDev(db.url, name, opts);
        } finally {
          await db.drop();
        }
      } finally {
        cluster?.stop();
      }
    }
    if (dir) {
      directoryName ??= basename(dir);
      created.push(dir);
    }
  }
  if (created.length === 0) console.log('No schema changes: no migration created.');
  for (const dir of created) console.log(`New migration: ${dir}`);
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  switch (command) {
    case 'deploy': {
      const url = flags.url ?? defaultUrl();
      const started = performance.now();
      const { applied } = await migrateDeploy(url, { log: (m) => console.log(m) });
      const ms = (performance.now() - started).toFixed(0);
      console.log(
        applied.length
          ? `${applied.length} migration(s) applied to ${redact(url)} in ${ms} ms.`
          : `No pending migrations (${redact(url)}).`,
      );
      break;
    }
    case 'status': {
      const url = flags.url ?? defaultUrl();
      const s = await migrateStatus(url);
      console.log(`${redact(url)} (${s.provider}): ${s.local.length} local migration(s), ${s.applied.length} applied.`);
      for (const n of s.pending) console.log(`  pending:  ${n}`);
      for (const n of s.failed) console.log(`  FAILED:   ${n}`);
      for (const n of s.modified) console.log(`  modified since applied: ${n}`);
      for (const n of s.unknown) console.log(`  applied but not in the migrations folder: ${n}`);
      if (s.failed.length) process.exitCode = 1;
      else if (s.pending.length) process.exitCode = 3;
      break;
    }
    case 'dev': {
      if (!flags.name) usage();
      await dev(flags.name, flags.provider, flags.url);
      break;
    }
    default:
      usage();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
