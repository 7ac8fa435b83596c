// Two processes write one SQLite file (the protocol process's audit writer and the console, or several
// instances). A transaction that reads, then writes after another connection committed, must wait its turn
// rather than fail: server/db/sqlite-write-transactions.ts begins every Prisma transaction as a writer.
// The plain adapter is run too, to show the failure this prevents (Prisma's "Operation has timed out").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../server/db/generated/sqlite/client.ts';
import { migrateDeploy } from '../../server/db/migrate.ts';
import { immediateTransactions } from '../../server/db/sqlite-write-transactions.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigil-immediate-'));
const file = join(dir, 'sigil.db');
const clients: PrismaClient[] = [];

beforeAll(async () => {
  await migrateDeploy(`file:${file}`);
});
afterAll(async () => {
  for (const client of clients) await client.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function client(immediate: boolean): PrismaClient {
  const factory = new PrismaBetterSqlite3({ url: file, timeout: 5000 }, { timestampFormat: 'unixepoch-ms' });
  const c = new PrismaClient({ adapter: immediate ? immediateTransactions(factory) : factory });
  clients.push(c);
  return c;
}

/** Another connection on its own thread inserts a setting (waiting up to 5 s for the lock); resolves when committed. */
function otherWriter(key: string): { committed: Promise<void>; done: () => boolean } {
  let finished = false;
  const worker = new Worker(
    `const Database = require('better-sqlite3');
     const { workerData, parentPort } = require('node:worker_threads');
     const db = new Database(workerData.file, { timeout: 5000 });
     db.prepare('INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?)').run(workerData.key, '{}', Date.now());
     db.close();
     parentPort.postMessage('committed');`,
    { eval: true, workerData: { file, key } },
  );
  const committed = new Promise<void>((resolve, reject) => {
    worker.once('message', () => ((finished = true), resolve()));
    worker.once('error', reject);
  });
  return { committed, done: () => finished };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQLite transactions across connections', () => {
  it('a transaction that reads, then writes, waits for the other writer instead of failing', async () => {
    const db = client(true);
    let other!: ReturnType<typeof otherWriter>;
    await db.$transaction(async (tx) => {
      await tx.setting.findMany();
      other = otherWriter('other-1');
      await pause(300);
      expect(other.done()).toBe(false); // it waits for this transaction's write lock
      await tx.setting.create({ data: { key: 'mine-1', value: {} } });
    });
    await other.committed;
    expect((await db.setting.findMany({ where: { key: { in: ['mine-1', 'other-1'] } } })).map((s) => s.key).sort()).toEqual(['mine-1', 'other-1']);
  });

  it('(without it) the same transaction fails once the other connection has committed since its read', async () => {
    const db = client(false);
    const attempt = db.$transaction(async (tx) => {
      await tx.setting.findMany();
      const other = otherWriter('other-2');
      await other.committed;
      await tx.setting.create({ data: { key: 'mine-2', value: {} } });
    });
    await expect(attempt).rejects.toThrow(/Operation has timed out/);
  });
});
