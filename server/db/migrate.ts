// Prisma migrations without engine binaries.
//
// The Prisma CLI drives a native `schema-engine` binary that cannot be downloaded here. The same
// engine ships as WebAssembly (@prisma/schema-engine-wasm) and talks to the database through Prisma 7
// driver adapters (better-sqlite3, pg). This module loads it and runs the two flows Sigil needs:
//
// - `migrateDeploy`: `prisma migrate deploy` (apply pending migrations, record them in
//   `_prisma_migrations` exactly as the CLI does, checksum = SHA-256 hex of migration.sql).
// - `migrateDev`: the `prisma migrate dev` flow (diagnose, apply, diff against a shadow database,
//   write `prisma/<provider>/migrations/<timestamp>_<name>/migration.sql`, apply).
//
// `migrateDeploy` runs on every start and for every fresh test database, so it first reads
// `_prisma_migrations` directly: when nothing is pending it never loads the engine (a few ms).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';

export type Provider = 'sqlite' | 'postgresql';

export interface MigrateOptions {
  /** Progress messages (applied migrations, warnings). */
  log?: (msg: string) => void;
}

export interface MigrateDevOptions extends MigrateOptions {
  /**
   * Directory name to use instead of the engine's `<timestamp>_<name>` (the CLI's `dev --provider both`
   * gives the SQLite and PostgreSQL migrations the same folder name).
   */
  directoryName?: string;
}

export interface MigrationStatus {
  provider: Provider;
  /** Local migration directories, sorted. */
  local: string[];
  /** Successfully applied migrations, in the order they were applied. */
  applied: string[];
  /** Local migrations not applied yet. */
  pending: string[];
  /** Migrations that started but did not finish (and were not rolled back). */
  failed: string[];
  /** Applied migrations that have no local directory. */
  unknown: string[];
  /** Applied migrations whose migration.sql changed since. */
  modified: string[];
}

// ---- URLs, paths ------------------------------------------------------------------------------------

export function providerOf(databaseUrl: string): Provider {
  if (typeof databaseUrl === 'string') {
    if (databaseUrl.startsWith('file:')) return 'sqlite';
    if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgresql';
  }
  throw new Error(
    `DATABASE_URL must be a SQLite "file:" URL or a "postgres://"/"postgresql://" URL (got ${JSON.stringify(
      redactUrl(String(databaseUrl)),
    )})`,
  );
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** The project root: `SIGIL_ROOT`, else two levels above this file (server/db/migrate.ts). */
export function projectRoot(): string {
  if (process.env.SIGIL_ROOT) return resolve(process.env.SIGIL_ROOT);
  const candidates: string[] = [];
  try {
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  } catch {
    // import.meta.url is not a file: URL (bundled); fall back to the working directory.
  }
  candidates.push(process.cwd());
  for (const dir of candidates) if (existsSync(join(dir, 'prisma', 'models.prisma'))) return dir;
  return candidates[0]!;
}

export function migrationsDir(provider: Provider, root = projectRoot()): string {
  return join(root, 'prisma', provider, 'migrations');
}

/** File path of a SQLite `file:` URL (relative paths are relative to the working directory). */
export function sqliteFilePath(databaseUrl: string): string {
  let path = databaseUrl.slice('file:'.length);
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  if (path.startsWith('//')) path = fileURLToPath(databaseUrl.split('?')[0]!); // file:///abs/path
  if (path === '' || path === ':memory:') throw new Error('DATABASE_URL: an in-memory SQLite database cannot be migrated');
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/** `?schema=` of a PostgreSQL URL (Prisma's convention), default `public`. */
function pgSchemaOf(databaseUrl: string): string {
  try {
    return new URL(databaseUrl).searchParams.get('schema') || 'public';
  } catch {
    return 'public';
  }
}

/** The URL without Prisma-only parameters that pg does not understand. */
function pgConnectionString(databaseUrl: string, database?: string): string {
  const url = new URL(databaseUrl);
  for (const p of ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer', 'statement_cache_size', 'socket_timeout', 'connect_timeout']) {
    url.searchParams.delete(p);
  }
  if (database !== undefined) url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

// ---- Local migrations -------------------------------------------------------------------------------

interface MigrationDirectory {
  path: string;
  migrationFile: { path: string; content: { tag: 'ok'; value: string } | { tag: 'error'; value: string } };
}

interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  migrationDirectories: MigrationDirectory[];
  shadowDbInitScript: string;
}

/** What the Prisma CLI builds (`loadMigrationsList`): lockfile + directories sorted by name. */
function loadMigrationsList(baseDir: string): MigrationList {
  const lockPath = 'migration_lock.toml';
  let lockContent: string | null = null;
  try {
    lockContent = readFileSync(join(baseDir, lockPath), 'utf8');
  } catch {
    lockContent = null;
  }
  const dirs: MigrationDirectory[] = [];
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = readdirSync(baseDir, { withFileTypes: true });
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    let content: MigrationDirectory['migrationFile']['content'];
    try {
      content = { tag: 'ok', value: readFileSync(join(baseDir, entry.name, 'migration.sql'), 'utf8') };
    } catch (e) {
      content = { tag: 'error', value: (e as Error).message };
    }
    dirs.push({ path: entry.name, migrationFile: { path: 'migration.sql', content } });
  }
  dirs.sort((a, b) => a.path.localeCompare(b.path));
  return { baseDir, lockfile: { path: lockPath, content: lockContent }, migrationDirectories: dirs, shadowDbInitScript: '' };
}

function localMigrations(baseDir: string): { name: string; checksum: string | null }[] {
  return loadMigrationsList(baseDir).migrationDirectories.map((d) => ({
    name: d.path,
    checksum: d.migrationFile.content.tag === 'ok' ? sha256(d.migrationFile.content.value) : null,
  }));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The Prisma schema the engine works with: prisma/models.prisma under a provider's datasource. */
export function renderSchema(provider: Provider, root = projectRoot()): { path: string; content: string } {
  const models = readFileSync(join(root, 'prisma', 'models.prisma'), 'utf8');
  // Same text as scripts/prisma-generate.mjs renders into prisma/<provider>/schema.prisma.
  const content = `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.
generator client {
  provider     = "prisma-client"
  output       = "../../server/db/generated/${provider}"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
}

${models}`;
  return { path: join(root, 'prisma', provider, 'schema.prisma'), content };
}

// ---- The WebAssembly schema engine ------------------------------------------------------------------

type EngineModule = typeof import('@prisma/schema-engine-wasm');
type Engine = import('@prisma/schema-engine-wasm').SchemaEngine;

let enginePromise: Promise<EngineModule> | undefined;

/** Instantiates schema_engine_bg.wasm once per process (the package's own entry imports .wasm as ESM). */
function loadEngine(root: string): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(msg: string): void } };
    // The engine reports Rust panics here before it throws; keep the message for the error.
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(msg: string) {
        lastPanic = msg;
      },
    };
    const dir = join(root, 'node_modules', '@prisma', 'schema-engine-wasm');
    const bg = (await import(
      /* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(join(dir, 'schema_engine_bg.js')).href
    )) as EngineModule & { __wbg_set_wasm(exports: unknown): void };
    const module = new WebAssembly.Module(readFileSync(join(dir, 'schema_engine_bg.wasm')));
    // The engine races its async work against JS timers (10 s, 60 s) and never clears them: unref them
    // so that they do not keep a finished CLI process alive for a minute. (Firing later is harmless.)
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports)) {
      if (key.startsWith('__wbg_setTimeout_')) {
        imports[key] = (callback: () => void, ms: number) => {
          const timer = setTimeout(callback, ms >>> 0);
          timer.unref?.();
          return timer;
        };
      }
    }
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  enginePromise.catch(() => (enginePromise = undefined));
  return enginePromise;
}

let lastPanic: string | undefined;

/** Engine errors arrive as objects/JSON strings with a Prisma error code (P1014, P3009, ...). */
function engineError(e: unknown, what: string): Error {
  if (lastPanic) {
    const msg = lastPanic;
    lastPanic = undefined;
    return new Error(`schema engine panicked during ${what}: ${msg}`);
  }
  if (e instanceof Error) {
    const err = new Error(`${what} failed: ${e.message}`, { cause: e }) as Error & { code?: string };
    const code = errorCode(e);
    if (code) err.code = code;
    return err;
  }
  return new Error(`${what} failed: ${typeof e === 'string' ? e : JSON.stringify(e)}`);
}

function errorCode(e: unknown): string | undefined {
  const anyE = e as { code?: unknown; error_code?: unknown; message?: unknown };
  if (typeof anyE?.code === 'string') return anyE.code;
  if (typeof anyE?.error_code === 'string') return anyE.error_code;
  const m = typeof anyE?.message === 'string' ? anyE.message.match(/\b(P\d{4})\b/) : null;
  return m?.[1];
}

interface Session {
  engine: Engine;
  close(): Promise<void>;
}

async function openEngine(provider: Provider, factory: TrackingFactory, root: string, log?: (m: string) => void): Promise<Session> {
  const mod = await loadEngine(root);
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const schema = renderSchema(provider, root);
  const logger = (line: string) => {
    if (process.env.SIGIL_MIGRATE_DEBUG) (log ?? console.error)(`[schema-engine] ${line}`);
  };
  let engine: Engine;
  try {
    engine = await mod.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      logger,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (e) {
    await factory.disposeAll();
    throw engineError(e, 'starting the schema engine');
  }
  return {
    engine,
    async close() {
      try {
        engine.free();
      } catch {
        // already freed
      }
      await factory.disposeAll();
    },
  };
}

const NO_FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

// ---- Driver adapters --------------------------------------------------------------------------------

/** A migration-aware adapter factory that remembers every connection, to dispose them afterwards. */
interface TrackingFactory extends SqlMigrationAwareDriverAdapterFactory {
  disposeAll(): Promise<void>;
}

function tracking(
  inner: SqlMigrationAwareDriverAdapterFactory,
  patch: (a: SqlDriverAdapter) => SqlDriverAdapter,
  shadow?: () => Promise<SqlDriverAdapter>,
): TrackingFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (a: SqlDriverAdapter): SqlDriverAdapter => {
    const patched = patch(a);
    const dispose = patched.dispose.bind(patched);
    let disposed = false;
    patched.dispose = async () => {
      if (disposed) return;
      disposed = true;
      open.delete(patched);
      await dispose();
    };
    open.add(patched);
    return patched;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await (shadow ?? (() => inner.connectToShadowDb()))()),
    async disposeAll() {
      for (const a of [...open]) await a.dispose().catch(() => undefined);
    },
  };
}

/**
 * better-sqlite3 prepares one statement at a time; the engine replays whole migration files on the
 * shadow database through `executeRaw` without arguments. Run those as a script.
 */
function patchSqlite(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (e) {
      if (query.args.length === 0 && e instanceof RangeError && /more than one statement/i.test(e.message)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw e;
    }
  };
  return adapter;
}

async function sqliteFactory(databaseUrl: string): Promise<TrackingFactory> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const file = sqliteFilePath(databaseUrl);
  // Rows in _prisma_migrations hold unix-epoch milliseconds, as the native engine writes them.
  const inner = new PrismaBetterSqlite3({ url: file, timeout: 30_000 }, { timestampFormat: 'unixepoch-ms' });
  return tracking(inner, patchSqlite);
}

let charAsTextClient: typeof pg.Client | undefined;

/**
 * A pg Client that reports PostgreSQL's internal `"char"` type (OID 18, used by pg_catalog columns
 * the engine reads, e.g. pg_constraint.contype) as text: adapter-pg cannot map OID 18.
 */
function charAsTextClientClass(pgMod: typeof pg): typeof pg.Client {
  if (charAsTextClient) return charAsTextClient;
  const fix = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      const fields = (r as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
      if (fields) for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
    }
    return res;
  };
  class CharAsTextClient extends pgMod.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const cb = args[last] as (err: unknown, res: unknown) => void;
        args[last] = (err: unknown, res: unknown) => cb(err, err ? res : fix(res));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return (super.query as any)(...args);
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ret = (super.query as any)(...args);
      return ret && typeof ret.then === 'function' ? ret.then(fix) : ret;
    }
  }
  charAsTextClient = CharAsTextClient as unknown as typeof pg.Client;
  return charAsTextClient;
}

/**
 * adapter-pg's `executeScript` splits on ";" and sends the pieces one by one (possibly on different
 * pool connections). Send the script as one simple-protocol query instead, like the native engine:
 * PostgreSQL then runs it as one implicit transaction.
 */
function patchPg(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const pool = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (e) {
      // Let the adapter convert the error into a DriverAdapterError the engine understands.
      (adapter as unknown as { onError(e: unknown): never }).onError(e);
    }
  };
  return adapter;
}

async function pgFactory(databaseUrl: string): Promise<TrackingFactory> {
  const pgMod = (await import('pg')).default;
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const schema = pgSchemaOf(databaseUrl);
  const Client = charAsTextClientClass(pgMod);
  const make = (connectionString: string) =>
    new PrismaPg(
      new pgMod.Pool({
        connectionString,
        Client,
        max: 4,
        // Prisma's `?schema=`: unqualified names in migrations resolve to it, as with the native engine.
        ...(schema === 'public' ? {} : { options: `-c search_path="${schema.replace(/"/g, '""')}"` }),
      }),
      {
        schema: schema === 'public' ? undefined : schema,
        disposeExternalPool: true,
      },
    );
  const inner = make(pgConnectionString(databaseUrl));
  // adapter-pg's own connectToShadowDb spreads `{ connectionString, database }` and the connection
  // string wins, so the "shadow" database would be the main one. Create a uniquely named database
  // ourselves, point a connection string at it, and drop it when the engine disposes the adapter.
  const shadow = async (): Promise<SqlDriverAdapter> => {
    const name = `sigil_shadow_${randomUUID().replace(/-/g, '')}`;
    const admin = new pgMod.Client({ connectionString: pgConnectionString(databaseUrl) });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const adapter = await make(pgConnectionString(databaseUrl, name)).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pgMod.Client({ connectionString: pgConnectionString(databaseUrl) });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    };
    return adapter;
  };
  return tracking(inner, patchPg, shadow);
}

function factoryFor(provider: Provider, databaseUrl: string): Promise<TrackingFactory> {
  return provider === 'sqlite' ? sqliteFactory(databaseUrl) : pgFactory(databaseUrl);
}

// ---- Reading _prisma_migrations directly ------------------------------------------------------------

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function statusFromRows(provider: Provider, local: { name: string; checksum: string | null }[], rows: MigrationRow[] | null): MigrationStatus {
  const live = (rows ?? []).filter((r) => r.rolled_back_at == null);
  const appliedRows = live.filter((r) => r.finished_at != null);
  const applied = appliedRows.map((r) => r.migration_name);
  const appliedSet = new Set(applied);
  const localNames = new Set(local.map((m) => m.name));
  const checksums = new Map(local.map((m) => [m.name, m.checksum]));
  return {
    provider,
    local: local.map((m) => m.name),
    applied,
    pending: local.filter((m) => !appliedSet.has(m.name)).map((m) => m.name),
    failed: live.filter((r) => r.finished_at == null).map((r) => r.migration_name),
    unknown: applied.filter((n) => !localNames.has(n)),
    modified: appliedRows.filter((r) => localNames.has(r.migration_name) && checksums.get(r.migration_name) !== r.checksum).map((r) => r.migration_name),
  };
}

const ROWS_SQL = 'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name';

const NO_ARGS = { args: [] as unknown[], argTypes: [] as never[] };

async function readSqliteRows(conn: SqlDriverAdapter): Promise<MigrationRow[] | null> {
  const exists = await conn.queryRaw({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'", ...NO_ARGS });
  if (exists.rows.length === 0) return null;
  const res = await conn.queryRaw({ sql: ROWS_SQL, ...NO_ARGS });
  return res.rows.map((row) => Object.fromEntries(res.columnNames.map((c, i) => [c, row[i]])) as unknown as MigrationRow);
}

async function readPgRows(client: pg.Client, schema: string): Promise<MigrationRow[] | null> {
  const exists = await client.query('SELECT to_regclass($1) AS t', [`"${schema.replace(/"/g, '""')}"._prisma_migrations`]);
  if (exists.rows[0]?.t == null) return null;
  const res = await client.query(ROWS_SQL.replace('FROM _prisma_migrations', `FROM "${schema.replace(/"/g, '""')}"._prisma_migrations`));
  return res.rows as MigrationRow[];
}

/**
 * A SQLite connection through the adapter's own better-sqlite3 (the adapter bundles a build that
 * loads on Node 20; the top-level better-sqlite3 13 needs Node 22).
 */
async function openSqlite(file: string, timeout = 30_000): Promise<SqlDriverAdapter> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  mkdirSync(dirname(file), { recursive: true });
  return new PrismaBetterSqlite3({ url: file, timeout }, { timestampFormat: 'unixepoch-ms' }).connect();
}

async function openPg(databaseUrl: string): Promise<pg.Client> {
  const pgMod = (await import('pg')).default;
  const client = new pgMod.Client({ connectionString: pgConnectionString(databaseUrl) });
  await client.connect();
  return client;
}

/** Applied/pending migrations of a database, read from `_prisma_migrations` (no engine). */
export async function migrateStatus(databaseUrl: string): Promise<MigrationStatus> {
  const provider = providerOf(databaseUrl);
  const local = localMigrations(migrationsDir(provider));
  if (provider === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (!existsSync(file)) return statusFromRows(provider, local, null);
    const db = await openSqlite(file);
    try {
      return statusFromRows(provider, local, await readSqliteRows(db));
    } finally {
      await db.dispose();
    }
  }
  const client = await openPg(databaseUrl);
  try {
    return statusFromRows(provider, local, await readPgRows(client, pgSchemaOf(databaseUrl)));
  } finally {
    await client.end();
  }
}

// ---- Locks ------------------------------------------------------------------------------------------

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Serializes calls for one database within this process. Needed before the SQLite file lock: its busy
 * timeout waits synchronously, so two connections of one process would block the event loop that the
 * lock holder needs to finish.
 */
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = inProcess.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  inProcess.set(key, settled);
  try {
    return await run;
  } finally {
    if (inProcess.get(key) === settled) inProcess.delete(key);
  }
}

/** Arbitrary constant for pg_advisory_lock: "sigil migrate". */
const PG_LOCK_KEY = 0x5_1617_6d69; // fits in a bigint

/**
 * SQLite has no advisory locks and the engine does not lock while deploying. A second SQLite file next
 * to the database serves as a cross-process mutex: an EXCLUSIVE transaction on it is held while the
 * engine runs; other processes wait on SQLite's busy timeout. The OS drops the lock if the process dies.
 */
function withSqliteLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  return serialized(`sqlite:${file}`, () => withSqliteFileLock(file, fn));
}

async function withSqliteFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = await openSqlite(`${file}.migrate-lock`, 120_000);
  try {
    await lock.executeScript('BEGIN EXCLUSIVE');
    try {
      return await fn();
    } finally {
      await lock.executeScript('ROLLBACK');
    }
  } finally {
    await lock.dispose();
  }
}

async function withPgLock<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
  }
}

// ---- deploy -----------------------------------------------------------------------------------------

async function applyWithEngine(provider: Provider, databaseUrl: string, root: string, log?: (m: string) => void): Promise<string[]> {
  const baseDir = migrationsDir(provider, root);
  const session = await openEngine(provider, await factoryFor(provider, databaseUrl), root, log);
  try {
    const out = await session.engine
      .applyMigrations({ migrationsList: loadMigrationsList(baseDir), filters: NO_FILTERS })
      .catch((e: unknown) => {
        throw engineError(e, 'applying migrations');
      });
    return out.appliedMigrationNames;
  } finally {
    await session.close();
  }
}

/**
 * `prisma migrate deploy`: applies the pending migrations of `prisma/<provider>/migrations`.
 * Idempotent; concurrent callers on the same database serialize on a lock.
 */
export async function migrateDeploy(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const root = projectRoot();
  const local = localMigrations(migrationsDir(provider, root));
  const log = opts.log;
  const upToDate = (rows: MigrationRow[] | null) => {
    const s = statusFromRows(provider, local, rows);
    return s.pending.length === 0 && s.failed.length === 0;
  };
  let applied: string[];

  if (provider === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    const db = await openSqlite(file);
    try {
      await db.executeScript('PRAGMA journal_mode = WAL');
      if (upToDate(await readSqliteRows(db))) return { applied: [] };
    } finally {
      await db.dispose();
    }
    applied = await withSqliteLock(file, async () => {
      // Someone else may have deployed while we waited for the lock.
      const again = await openSqlite(file);
      try {
        if (upToDate(await readSqliteRows(again))) return [];
      } finally {
        await again.dispose();
      }
      return applyWithEngine(provider, databaseUrl, root, log);
    });
  } else {
    const client = await openPg(databaseUrl);
    try {
      const schema = pgSchemaOf(databaseUrl);
      if (upToDate(await readPgRows(client, schema))) return { applied: [] };
      applied = await withPgLock(client, async () => {
        // Someone else may have deployed while we waited for the lock.
        if (upToDate(await readPgRows(client, schema))) return [];
        return applyWithEngine(provider, databaseUrl, root, log);
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  for (const name of applied) log?.(`Applied migration ${name}`);
  return { applied };
}

// ---- dev --------------------------------------------------------------------------------------------

/**
 * The `prisma migrate dev` flow against `databaseUrl` (a development database): applies existing
 * migrations, diffs them against prisma/models.prisma and writes the new migration (then applies it).
 * Returns the new migration's directory, or null when the schema has no changes.
 */
export async function migrateDev(databaseUrl: string, name: string, opts: MigrateDevOptions = {}): Promise<string | null> {
  const provider = providerOf(databaseUrl);
  const root = projectRoot();
  const baseDir = migrationsDir(provider, root);
  const log = opts.log;
  const migrationName = name
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!migrationName) throw new Error('migration name must contain letters or digits');
  if (provider === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    mkdirSync(dirname(file), { recursive: true });
  }
  const session = await openEngine(provider, await factoryFor(provider, databaseUrl), root, log);
  const { engine } = session;
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw engineError(e, what);
    }
  };
  const list = () => loadMigrationsList(baseDir);
  const diagnose = async () => {
    const out = await call('devDiagnostic', () => engine.devDiagnostic({ migrationsList: list(), filters: NO_FILTERS }));
    if (out.action.tag === 'reset') {
      throw new Error(`The development database needs a reset: ${out.action.reason}`);
    }
  };
  const apply = async () => {
    const out = await call('applyMigrations', () => engine.applyMigrations({ migrationsList: list(), filters: NO_FILTERS }));
    for (const n of out.appliedMigrationNames) log?.(`Applied migration ${n}`);
  };
  try {
    // devDiagnostic fails (P1014) on a database without _prisma_migrations; applying creates it.
    try {
      await diagnose();
    } catch (e) {
      if ((e as { code?: string }).code !== 'P1014' && !/P1014|_prisma_migrations/.test(String((e as Error).message))) throw e;
    }
    await apply();
    await diagnose();
    const schema = renderSchema(provider, root);
    const schemaFiles = { files: [{ path: schema.path, content: schema.content }] };
    const loss = await call('evaluateDataLoss', () =>
      engine.evaluateDataLoss({ migrationsList: list(), schema: schemaFiles, filters: NO_FILTERS }),
    );
    if (loss.unexecutableSteps.length) {
      throw new Error(`The migration cannot be executed:\n${loss.unexecutableSteps.map((s) => `  - ${s.message}`).join('\n')}`);
    }
    for (const w of loss.warnings) log?.(`Warning: ${w.message}`);
    // createMigration needs a devDiagnostic right before it (it initializes the shadow-database state).
    await diagnose();
    const created = await call('createMigration', () =>
      engine.createMigration({ draft: false, migrationName, migrationsList: list(), schema: schemaFiles, filters: NO_FILTERS }),
    );
    if (created.migrationScript === null) return null;
    const dirName = opts.directoryName ?? created.generatedMigrationName;
    const dir = join(baseDir, dirName);
    if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `migration.${created.extension}`), created.migrationScript, 'utf8');
    writeFileSync(
      join(baseDir, 'migration_lock.toml'),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
      'utf8',
    );
    log?.(`Created migration ${dirName}`);
    await apply();
    return dir;
  } finally {
    await session.close();
  }
}
