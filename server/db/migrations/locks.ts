// Migrations of one database never run twice at once: serialized within the process, and across
// processes by pg_advisory_lock (PostgreSQL) or an exclusive transaction on a lock file (SQLite).
import type pg from 'pg';
import { openSqlite } from './status.ts';

const inProcess = new Map<string, Promise<unknown>>();

/**
 * Serializes calls for one database within this process. Needed before the SQLite file lock: its busy
 * timeout waits synchronously, so two connections of one process would block the event loop that the
 * lock holder needs to finish.
 */
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = inProcess.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  inProcess.set(key, settled);
  try {
    return await run;
  } finally {
    if (inProcess.get(key) === settled) inProcess.delete(key);
  }
}

/** Arbitrary constant for pg_advisory_lock: "sigil migrate". */
const PG_LOCK_KEY = 0x5_1617_6d69; // fits in a bigint

/**
 * SQLite has no advisory locks and the engine does not lock while deploying. A second SQLite file next
 * to the database serves as a cross-process mutex: an EXCLUSIVE transaction on it is held while the
 * engine runs; other processes wait on SQLite's busy timeout. The OS drops the lock if the process dies.
 */
export function withSqliteLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  return serialized(`sqlite:${file}`, () => withSqliteFileLock(file, fn));
}

async function withSqliteFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = await openSqlite(`${file}.migrate-lock`, 120_000);
  try {
    await lock.executeScript('BEGIN EXCLUSIVE');
    try {
      return await fn();
    } finally {
      await lock.executeScript('ROLLBACK');
    }
  } finally {
    await lock.dispose();
  }
}

export async function withPgLock<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
  }
}
