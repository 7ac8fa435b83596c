// Migrations without engine binaries (server/db/migrate.ts): deploy on a fresh database creates every
// table and the `_prisma_migrations` rows Prisma's CLI would write; deploying again applies nothing.
// PostgreSQL runs too when SIGIL_TEST_POSTGRES_URL points at a server we may create databases on.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { migrateDeploy, migrateStatus, migrationsDir, projectRoot, providerOf, type Provider } from '../../server/db/migrate.ts';

const root = projectRoot();
const models = [...readFileSync(join(root, 'prisma', 'models.prisma'), 'utf8').matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!);

function localMigrations(provider: Provider): { name: string; checksum: string }[] {
  const dir = migrationsDir(provider, root);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({
      name,
      checksum: createHash('sha256').update(readFileSync(join(dir, name, 'migration.sql'))).digest('hex'),
    }));
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  applied_steps_count: unknown;
  logs: unknown;
}

function expectRows(provider: Provider, rows: Row[]): void {
  const local = localMigrations(provider);
  expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
  for (const [i, row] of rows.entries()) {
    expect(row.checksum).toBe(local[i]!.checksum);
    expect(row.finished_at).not.toBeNull();
    expect(row.rolled_back_at).toBeNull();
    expect(row.logs).toBeNull();
    expect(Number(row.applied_steps_count)).toBe(1);
  }
}

const ROWS = 'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY started_at, migration_name';

describe('providerOf', () => {
  it('maps URLs to providers', () => {
    expect(providerOf('file:./.sigil/sigil.db')).toBe('sqlite');
    expect(providerOf('postgres://u:p@h/db')).toBe('postgresql');
    expect(providerOf('postgresql://h/db')).toBe('postgresql');
    expect(() => providerOf('mysql://h/db')).toThrow(/DATABASE_URL/);
  });
});

describe('migrations on disk', () => {
  it.each(['sqlite', 'postgresql'] as const)('%s has an initial migration and a lock file', (provider) => {
    const dir = migrationsDir(provider, root);
    expect(readFileSync(join(dir, 'migration_lock.toml'), 'utf8')).toContain(`provider = "${provider}"`);
    expect(localMigrations(provider).length).toBeGreaterThan(0);
  });

  it('both providers have the same migration folders', () => {
    expect(localMigrations('sqlite').map((m) => m.name)).toEqual(localMigrations('postgresql').map((m) => m.name));
  });
});

describe('migrateDeploy on SQLite', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sigil-migrate-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('creates every table and the migration history, then applies nothing', async () => {
    const file = join(tmp, 'nested', 'dir', 'fresh.db'); // parent directories do not exist yet
    const url = `file:${file}`;
    const first = await migrateDeploy(url);
    expect(first.applied).toEqual(localMigrations('sqlite').map((m) => m.name));
    expect(existsSync(file)).toBe(true);

    const adapter = await new PrismaBetterSqlite3({ url: file }).connect();
    try {
      const q = async (sql: string) => {
        const res = await adapter.queryRaw({ sql, args: [], argTypes: [] });
        return res.rows.map((r) => Object.fromEntries(res.columnNames.map((c, i) => [c, r[i]])));
      };
      const tables = (await q("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining([...models, '_prisma_migrations']));
      expect((await q('PRAGMA journal_mode'))[0]?.journal_mode).toBe('wal');
      const rows = (await q(ROWS)) as unknown as Row[];
      expectRows('sqlite', rows);
      // The native engine stores these DateTime columns as unix-epoch milliseconds.
      const stored = await q('SELECT typeof(started_at) AS s, typeof(finished_at) AS f FROM _prisma_migrations');
      for (const r of stored) expect(r).toEqual({ s: 'integer', f: 'integer' });
    } finally {
      await adapter.dispose();
    }

    const second = await migrateDeploy(url);
    expect(second.applied).toEqual([]);
    const status = await migrateStatus(url);
    expect(status.pending).toEqual([]);
    expect(status.failed).toEqual([]);
    expect(status.modified).toEqual([]);
  });

  it('is safe when several deploys race on one fresh database', async () => {
    const url = `file:${join(tmp, 'race.db')}`;
    const results = await Promise.all([migrateDeploy(url), migrateDeploy(url), migrateDeploy(url)]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toEqual(localMigrations('sqlite').map((m) => m.name));
  });

  it('deploys fresh databases side by side', async () => {
    const urls = [1, 2, 3].map((i) => `file:${join(tmp, `parallel-${i}.db`)}`);
    const results = await Promise.all(urls.map((u) => migrateDeploy(u)));
    for (const r of results) expect(r.applied.length).toBe(localMigrations('sqlite').length);
  });

  it('leaves a database a Prisma client can use', async () => {
    const file = join(tmp, 'client.db');
    await migrateDeploy(`file:${file}`);
    const { PrismaClient } = await import('../../server/db/generated/sqlite/client.ts');
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
    try {
      await prisma.application.create({
        data: { id: 'app-1', name: 'Test app', type: 'MachineToMachine', customClientMetadata: { allowTokenExchange: true }, updatedAt: new Date() },
      });
      const app = await prisma.application.findUnique({ where: { id: 'app-1' } });
      expect(app?.name).toBe('Test app');
      expect(app?.customClientMetadata).toEqual({ allowTokenExchange: true });
      expect(app?.isThirdParty).toBe(false);
    } finally {
      await prisma.$disconnect();
    }
  });
});

const pgServer = process.env.SIGIL_TEST_POSTGRES_URL;

describe.skipIf(!pgServer)('migrateDeploy on PostgreSQL', () => {
  const created: string[] = [];

  async function freshDatabase(): Promise<string> {
    const name = `sigil_migrate_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: pgServer });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    created.push(name);
    const url = new URL(pgServer!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: pgServer });
    await admin.connect();
    try {
      for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  it('creates every table and the migration history, then applies nothing', async () => {
    const url = await freshDatabase();
    const first = await migrateDeploy(url);
    expect(first.applied).toEqual(localMigrations('postgresql').map((m) => m.name));

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = (await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
      expect(tables).toEqual(expect.arrayContaining([...models, '_prisma_migrations']));
      expectRows('postgresql', (await client.query(ROWS)).rows as Row[]);
    } finally {
      await client.end();
    }

    expect((await migrateDeploy(url)).applied).toEqual([]);
  });

  it('is safe when several deploys race on one fresh database', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrateDeploy(url), migrateDeploy(url), migrateDeploy(url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(localMigrations('postgresql').map((m) => m.name));
  });

  it('leaves a database a Prisma client can use', async () => {
    const url = await freshDatabase();
    await migrateDeploy(url);
    const { PrismaClient } = await import('../../server/db/generated/postgresql/client.ts');
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      await prisma.application.create({
        data: { id: 'app-1', name: 'Test app', type: 'SPA', customClientMetadata: {}, updatedAt: new Date() },
      });
      const app = await prisma.application.findUnique({ where: { id: 'app-1' } });
      expect(app?.type).toBe('SPA');
      expect(app?.createdAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });
});
