import { db, type Tx } from '../db/index.ts';
import { changed, clearLocal } from './cache.ts';
import { configCommitted, outboxCommitted, wroteOutboxRows } from './events/signal.ts';

/**
 * Run a configuration change in one transaction: the change, its events and the cache stamp commit
 * together; this process's cache is cleared again after commit so no request caches pre-commit state.
 */
export async function configChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let signal = false;
  const result = await db().$transaction(async (tx) => {
    const value = await fn(tx);
    await changed(tx);
    signal = wroteOutboxRows(tx);
    return value;
  });
  clearLocal();
  configCommitted();
  if (signal) outboxCommitted();
  return result;
}

/** A data change that does not affect cached configuration (e.g. users). */
export async function dataChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let signal = false;
  const result = await db().$transaction(async (tx) => {
    const value = await fn(tx);
    signal = wroteOutboxRows(tx);
    return value;
  });
  if (signal) outboxCommitted();
  return result;
}
