// Direct database access for assertions the HTTP surface cannot show (what is stored, and how).
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../../server/db/generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../../server/db/generated/postgresql/client.ts';
import type { Db } from '../../server/db/index.ts';

export function openDb(url: string): Db {
  if (url.startsWith('file:')) {
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: url.slice(5), timeout: 5000 }, { timestampFormat: 'unixepoch-ms' }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) }) as unknown as Db;
}
