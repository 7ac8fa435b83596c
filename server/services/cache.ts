// In-memory cache of hot configuration (apps with secret hashes, resources, role scopes, signing keys,
// claim scripts). Correctness across processes rests on a change stamp in the database:
// - a change made by this process clears its cache at once (`changed`);
// - any process re-reads the stamp at most every SIGIL_CACHE_TTL_MS (default 1 s) and drops its cache
//   when another process changed something. That bound is how stale a second instance can be.
// Bounded (least recently used out first): keys can come from requests (client ids), and memory must not
// grow with what callers send. Each module graph (the lean HTTP front, Next.js) has its own cache; they
// agree through the stamp like two instances do.
import { LRUCache } from 'lru-cache';
import { db, type Tx } from '../db/index.ts';
import { env } from '../env.ts';
import { randomId } from './crypto.ts';

const STAMP_KEY = 'stamp:config';
/** Far above what one instance keeps hot (apps in active use, plus a handful of singletons). */
export const MAX_CACHE_ENTRIES = 10_000;

// `Promise<unknown>` values: concurrent callers share one load.
const entries = new LRUCache<string, Promise<unknown>>({ max: MAX_CACHE_ENTRIES });
/** Other caches whose entries depend on the same state (e.g. tokens seen active): dropped with `entries`. */
const dependents: Array<{ clear(): void }> = [];
/** Transactions that called `changed(tx)`: the transaction helpers clear the cache again once they commit. */
const changedIn = new WeakSet<object>();

function dropAll(): void {
  entries.clear();
  for (const cache of dependents) cache.clear();
}

/**
 * A bounded cache of values that must not outlive a change: it is dropped whenever this process's
 * configuration cache is (a local change, or another process's change seen through the stamp).
 */
export function dependentCache<V extends {}>(max: number): LRUCache<string, V> {
  const cache = new LRUCache<string, V>({ max });
  dependents.push(cache);
  return cache;
}
let stamp: string | null = null;
let checkedAt = 0;
let checking: Promise<void> | null = null;

/** Ensure the cache is no staler than the configured bound. Cheap: one primary-key read per period. */
async function ensureFresh(): Promise<void> {
  if (Date.now() - checkedAt < env().cacheTtlMs) return;
  checking ??= (async () => {
    try {
      const row = await db().setting.findUnique({ where: { key: STAMP_KEY } });
      const current = row ? String(row.value) : '';
      if (current !== stamp) {
        dropAll();
        stamp = current;
      }
      checkedAt = Date.now();
    } finally {
      checking = null;
    }
  })();
  await checking;
}

/** Make sure cached state is no staler than SIGIL_CACHE_TTL_MS (before reading a `dependentCache`). */
export const fresh = ensureFresh;

/** Cached value for `key`, loaded once (concurrent callers share the load). Failed loads are not kept. */
export async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  await ensureFresh();
  let entry = entries.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    entries.set(key, entry);
    entry.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  }
  return entry;
}

/**
 * Record that cached state changed (configuration, or a token revoked): bump the shared stamp (inside the
 * caller's transaction when given) and clear this process's cache.
 */
export async function changed(tx?: Tx): Promise<void> {
  const value = randomId(12);
  const client = tx ?? db();
  await client.setting.upsert({
    where: { key: STAMP_KEY },
    create: { key: STAMP_KEY, value },
    update: { value },
  });
  if (tx) changedIn.add(tx);
  clearLocal();
}

/** Whether `tx` called `changed(tx)`: its helper must clear the cache again after commit. */
export function changedInside(tx: Tx): boolean {
  return changedIn.has(tx);
}

/** Drop this process's cache now (also call after a transaction that used `changed(tx)` commits). */
export function clearLocal(): void {
  dropAll();
  checkedAt = 0;
}
