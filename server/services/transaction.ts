import { db, type Tx } from '../db/index.ts';
import { changed, clearLocal } from './cache.ts';

/**
 * Run a configuration change in one transaction: the change, its events and the cache stamp commit
 * together; this process's cache is cleared again after commit so no request caches pre-commit state.
 */
export async function configChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await db().$transaction(async (tx) => {
    const value = await fn(tx);
    await changed(tx);
    return value;
  });
  clearLocal();
  return result;
}

/** A data change that does not affect cached configuration (e.g. users). */
export function dataChange<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn);
}
