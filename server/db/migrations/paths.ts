// Where migrations live and which database a URL names: the provider, the SQLite file, PostgreSQL's
// schema and connection string, the local migration directories (as the Prisma CLI lists them) and the
// Prisma schema the engine diffs against.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Provider = 'sqlite' | 'postgresql';

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

/** The project root: `SIGIL_ROOT`, else three levels above this file (server/db/migrations/paths.ts). */
export function projectRoot(): string {
  if (process.env.SIGIL_ROOT) return resolve(process.env.SIGIL_ROOT);
  const candidates: string[] = [];
  try {
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
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
export function pgSchemaOf(databaseUrl: string): string {
  try {
    return new URL(databaseUrl).searchParams.get('schema') || 'public';
  } catch {
    return 'public';
  }
}

/** The URL without Prisma-only parameters that pg does not understand. */
export function pgConnectionString(databaseUrl: string, database?: string): string {
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

export interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  migrationDirectories: MigrationDirectory[];
  shadowDbInitScript: string;
}

/** What the Prisma CLI builds (`loadMigrationsList`): lockfile + directories sorted by name. */
export function loadMigrationsList(baseDir: string): MigrationList {
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

export function localMigrations(baseDir: string): { name: string; checksum: string | null }[] {
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
