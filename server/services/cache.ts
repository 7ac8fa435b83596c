// In-memory cache of hot configuration (apps with secret hashes, resources, role scopes, signing keys,
// claim scripts). Correctness across processes rests on a change stamp in the database:
// - a change made by this process clears its cache at once (`changed`);
// - any process re-reads the stamp at most every SIGIL_CACHE_TTL_MS (default 1 s) and drops its cache
//   when another process changed something. That bound is how stale a second instance can be.
// The cache lives on globalThis so the lean HTTP front and the Next.js bundle in one process share it.
import { db, type Tx } from '../db/index.ts';
import { env } from '../env.ts';
import { randomId } from './crypto.ts';

const STAMP_KEY = 'stamp:config';

type State = {
  entries: Map<string, Promise<unknown>>;
  stamp: string | null;
  checkedAt: number;
  checking: Promise<void> | null;
};

const KEY = Symbol.for('sigil.cache');
function state(): State {
  const g = globalThis as { [KEY]?: State };
  return (g[KEY] ??= { entries: new Map(), stamp: null, checkedAt: 0, checking: null });
}

/** Ensure the cache is no staler than the configured bound. Cheap: one primary-key read per period. */
async function ensureFresh(): Promise<void> {
  const s = state();
  if (Date.now() - s.checkedAt < env().cacheTtlMs) return;
  s.checking ??= (async () => {
    try {
      const row = await db().setting.findUnique({ where: { key: STAMP_KEY } });
      const stamp = row ? String(row.value) : '';
      if (stamp !== s.stamp) {
        s.entries.clear();
        s.stamp = stamp;
      }
      s.checkedAt = Date.now();
    } finally {
      s.checking = null;
    }
  })();
  await s.checking;
}

/** Cached value for `key`, loaded once (concurrent callers share the load). Failed loads are not kept. */
export async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  await ensureFresh();
  const s = state();
  let entry = s.entries.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    s.entries.set(key, entry);
    entry.catch(() => {
      if (s.entries.get(key) === entry) s.entries.delete(key);
    });
  }
  return entry;
}

/**
 * Record that configuration changed: bump the shared stamp (inside the caller's transaction when given)
 * and clear this process's cache.
 */
export async function changed(tx?: Tx): Promise<void> {
  const stamp = randomId(12);
  const client = tx ?? db();
  await client.setting.upsert({
    where: { key: STAMP_KEY },
    create: { key: STAMP_KEY, value: stamp },
    update: { value: stamp },
  });
  clearLocal();
}

/** Drop this process's cache now (also call after a transaction that used `changed(tx)` commits). */
export function clearLocal(): void {
  const s = state();
  s.entries.clear();
  s.checkedAt = 0;
}
