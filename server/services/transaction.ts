import { db, type Tx } from '../db/index.ts';
import { changed, changedInside, clearLocal } from './cache.ts';
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

/**
 * A data change that does not affect cached configuration (e.g. users), unless it revoked tokens: then it
 * called `changed(tx)` and caches are cleared after commit, here and (signalled) in the other process.
 */
export async function dataChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  let signal = false;
  let invalidated = false;
  const result = await db().$transaction(async (tx) => {
    const value = await fn(tx);
    signal = wroteOutboxRows(tx);
    invalidated = changedInside(tx);
    return value;
  });
  if (invalidated) {
    clearLocal();
    configCommitted();
  }
  if (signal) outboxCommitted();
  return result;
}

/** Revoke tokens in one transaction: like `dataChange`, with caches of tokens seen active dropped after commit. */
export async function revocation(fn: (tx: Tx) => Promise<void>): Promise<void> {
  await dataChange(async (tx) => {
    await fn(tx);
    await changed(tx);
  });
}
