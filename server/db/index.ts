// The Prisma client. Only services import this module.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.ts';
import { env } from '../env.ts';
import { immediateTransactions } from './sqlite-write-transactions.ts';
import { escapeLikeOnSqlite } from './sqlite-like-escape.ts';
import { withSearchFunctions } from './sqlite-search-functions.ts';

// Both generated clients have the same models and methods; the SQLite one names the type.
export type Db = InstanceType<typeof SqliteClient>;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type { Prisma } from './generated/sqlite/client.ts';
export type Provider = 'sqlite' | 'postgresql';

let connection: { db: Db; provider: Provider; url: string } | undefined;

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error('DATABASE_URL must start with file: or postgresql://');
}

/** One client per module graph (per process, and per Next.js server layer). */
export function db(): Db {
  return holder().db;
}

export function dbProvider(): Provider {
  return holder().provider;
}

function holder() {
  const url = env().databaseUrl;
  if (!connection || connection.url !== url) connection = { ...connect(url), url };
  return connection;
}

export function sqlitePath(url: string): string {
  return url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
}

/**
 * Prisma's defaults (2 s to start a transaction, 5 s to finish it) turn a briefly overloaded machine into 500s:
 * SQLite runs one transaction at a time per connection, so a burst queues. Waiting longer is the right answer.
 */
const TRANSACTIONS = { maxWait: 10_000, timeout: 15_000 };

function connect(url: string): { db: Db; provider: Provider } {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = immediateTransactions(escapeLikeOnSqlite(withSearchFunctions(new PrismaBetterSqlite3({ url: path, timeout: 5000 }, { timestampFormat: 'unixepoch-ms' }))));
    return { db: new SqliteClient({ adapter, transactionOptions: TRANSACTIONS }), provider };
  }
  const adapter = new PrismaPg({ connectionString: url, max: env().pgPoolSize });
  return { db: new PostgresClient({ adapter, transactionOptions: TRANSACTIONS }) as unknown as Db, provider };
}

/**
 * Per-connection SQLite settings. In WAL mode synchronous=NORMAL keeps every commit across a process
 * crash (kill -9); only an OS crash or power loss can drop the last few commits.
 */
export async function tuneConnection(): Promise<void> {
  if (dbProvider() !== 'sqlite') return;
  await db().$queryRawUnsafe('PRAGMA journal_mode=WAL');
  await db().$executeRawUnsafe('PRAGMA synchronous=NORMAL');
  await db().$executeRawUnsafe('PRAGMA foreign_keys=ON');
}

export async function disconnect(): Promise<void> {
  const current = connection;
  connection = undefined;
  await current?.db.$disconnect();
}
