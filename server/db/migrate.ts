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
// `_prisma_migrations` directly: when nothing is pending it never loads the engine (a few ms).//
// The runner is this file; where migrations live is migrations/paths.ts, reading `_prisma_migrations`
// migrations/status.ts, locking migrations/locks.ts, and the engine with its driver adapters
// schema-engine/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { factoryFor } from './schema-engine/adapters.ts';
import { NO_FILTERS, engineError, openEngine } from './schema-engine/engine.ts';
import { withPgLock, withSqliteLock } from './migrations/locks.ts';
import { loadMigrationsList, localMigrations, migrationsDir, pgSchemaOf, projectRoot, providerOf, renderSchema, sqliteFilePath, type Provider } from './migrations/paths.ts';
import { openPg, openSqlite, readPgRows, readSqliteRows, statusFromRows, type MigrationRow } from './migrations/status.ts';

export { migrationsDir, projectRoot, providerOf, renderSchema, sqliteFilePath, type Provider } from './migrations/paths.ts';
export { migrateStatus, type MigrationStatus } from './migrations/status.ts';

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
