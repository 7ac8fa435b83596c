// Applied and pending migrations, read from `_prisma_migrations` directly (no engine): what
// `migrateDeploy` checks on every start, in a few milliseconds, before it would load the engine.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { localMigrations, migrationsDir, pgConnectionString, pgSchemaOf, providerOf, sqliteFilePath, type Provider } from './paths.ts';

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

export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export function statusFromRows(provider: Provider, local: { name: string; checksum: string | null }[], rows: MigrationRow[] | null): MigrationStatus {
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

export async function readSqliteRows(conn: SqlDriverAdapter): Promise<MigrationRow[] | null> {
  const exists = await conn.queryRaw({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'", ...NO_ARGS });
  if (exists.rows.length === 0) return null;
  const res = await conn.queryRaw({ sql: ROWS_SQL, ...NO_ARGS });
  return res.rows.map((row) => Object.fromEntries(res.columnNames.map((c, i) => [c, row[i]])) as unknown as MigrationRow);
}

export async function readPgRows(client: pg.Client, schema: string): Promise<MigrationRow[] | null> {
  const exists = await client.query('SELECT to_regclass($1) AS t', [`"${schema.replace(/"/g, '""')}"._prisma_migrations`]);
  if (exists.rows[0]?.t == null) return null;
  const res = await client.query(ROWS_SQL.replace('FROM _prisma_migrations', `FROM "${schema.replace(/"/g, '""')}"._prisma_migrations`));
  return res.rows as MigrationRow[];
}

/**
 * A SQLite connection through the adapter's own better-sqlite3 (the adapter bundles a build that
 * loads on Node 20; the top-level better-sqlite3 13 needs Node 22).
 */
export async function openSqlite(file: string, timeout = 30_000): Promise<SqlDriverAdapter> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  mkdirSync(dirname(file), { recursive: true });
  return new PrismaBetterSqlite3({ url: file, timeout }, { timestampFormat: 'unixepoch-ms' }).connect();
}

export async function openPg(databaseUrl: string): Promise<pg.Client> {
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
