import type { Tx } from '../index.ts';
import { variant } from './variant.ts';

/**
 * Serialise the transactions that pass the same `lockKey` (e.g. every writer of the signing key set): when
 * this returns, `tx` is the only one of them until it ends. Call it first, before `tx` reads anything.
 * - PostgreSQL: a transaction-scoped advisory lock on `lockKey` (wrapped in a SELECT of 1, since Prisma
 *   cannot read the void it returns).
 * - SQLite has one writer at a time, so the key is moot: every transaction already begins as a writer
 *   (../sqlite-write-transactions.ts). The write that changes nothing keeps this true for a transaction
 *   begun some other way.
 */
export async function serializeWrites(tx: Tx, lockKey: number): Promise<void> {
  if (!Number.isSafeInteger(lockKey)) throw new Error('lock keys are integers');
  await variant<() => Promise<unknown>>({
    postgresql: () => tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(${lockKey})) AS l`),
    sqlite: () => tx.$executeRawUnsafe(`UPDATE "Setting" SET "value" = "value" WHERE 0`),
  })();
}
