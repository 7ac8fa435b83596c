// Console dashboard figures, read from the audit log and entity tables.
// Token requests are counted in SQL, grouped by hour and result, over the last 8 days only (index seeks
// bounded by createdAt); completed hours are kept per process, so a dashboard refresh only counts the
// current hour. The hourly counts are folded into the operator's local days here.
import { auditLogSince, placeholders, timeBucket } from '../db/dialect/index.ts';
import { db } from '../db/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Audit keys of token endpoint requests (`ExchangeTokenBy.ClientCredentials`, `.TokenExchange`, ...). */
const TOKEN_KEY_PREFIX = 'ExchangeTokenBy.';

export type Bucket = { start: number; success: number; error: number };

type Row = { start: bigint | number; result: string; n: bigint | number };
type Counts = { success: number; error: number };

/**
 * Token requests since `since` by hour and result. The dialect writes the window so that only it is read
 * (an index seek per token key where the database can), not every token row the audit log keeps.
 */
async function hourlyCounts(since: Date): Promise<Row[]> {
  const window = await auditLogSince(TOKEN_KEY_PREFIX, since);
  if (!window) return [];
  return db().$queryRawUnsafe<Row[]>(
    placeholders(`SELECT ${timeBucket('"createdAt"', HOUR)} AS "start", "result" AS result, COUNT(*) AS n FROM "AuditLog"
     WHERE ${window.where} GROUP BY 1, 2`),
    ...window.args,
  );
}

/**
 * Counts of past hours never change (the audit log is append-only), so each process keeps them and
 * asks the database only for the hours it has not seen complete. An hour is final a minute after it
 * ends (audit writes are group-committed within milliseconds). Cold start: one scan of the window.
 */
const FINAL_AFTER_MS = 60_000;
const finalCounts = new Map<number, Counts>();
const finalHours = () => finalCounts;

async function countsByHour(firstHour: number, now: number): Promise<Map<number, Counts>> {
  const cache = finalHours();
  const thisHour = Math.floor(now / HOUR) * HOUR;
  let from = firstHour;
  while (from <= thisHour && cache.has(from)) from += HOUR;
  const result = new Map<number, Counts>();
  for (let h = firstHour; h < from; h += HOUR) result.set(h, cache.get(h)!);
  if (from <= thisHour) {
    for (let h = from; h <= thisHour; h += HOUR) result.set(h, { success: 0, error: 0 });
    for (const row of await hourlyCounts(new Date(from))) {
      const counts = result.get(Number(row.start));
      if (counts) counts[row.result === 'Success' ? 'success' : 'error'] += Number(row.n);
    }
    for (let h = from; h + HOUR + FINAL_AFTER_MS <= now; h += HOUR) cache.set(h, result.get(h)!);
  }
  for (const h of cache.keys()) if (h < firstHour - DAY) cache.delete(h);
  return result;
}

/**
 * Token requests by hour over the last 24 hours, or by local day over the last 7 days (today included).
 * `tzOffsetMinutes` is the operator's offset east of UTC; in zones with half-hour offsets an hour is
 * counted in the day it starts. The two ranges are separate calls so the default view reads one day.
 */
export async function tokenRequestStats(range: '24h' | '7d', tzOffsetMinutes: number, now = Date.now()): Promise<Bucket[]> {
  const offset = tzOffsetMinutes * 60_000;
  const thisHour = Math.floor(now / HOUR) * HOUR;
  const today = Math.floor((now + offset) / DAY) * DAY - offset;
  const buckets: Bucket[] = range === '24h'
    ? Array.from({ length: 24 }, (_, i) => ({ start: thisHour - (23 - i) * HOUR, success: 0, error: 0 }))
    : Array.from({ length: 7 }, (_, i) => ({ start: today - (6 - i) * DAY, success: 0, error: 0 }));
  const size = range === '24h' ? HOUR : DAY;
  const first = buckets[0]!.start;
  for (const [start, c] of await countsByHour(Math.floor(first / HOUR) * HOUR, now)) {
    const bucket = buckets[Math.floor((start - first) / size)];
    if (bucket) (bucket.success += c.success), (bucket.error += c.error);
  }
  return buckets;
}

export async function entityCounts() {
  const [applications, resources, roles, users] = await Promise.all([
    db().application.count(),
    db().resource.count(),
    db().role.count(),
    db().user.count(),
  ]);
  return { applications, resources, roles, users };
}

export type RecentFailure = {
  id: string;
  key: string;
  createdAt: number;
  applicationId: string | null;
  applicationName: string | null;
  errorCode: string | null;
  errorDescription: string | null;
};

/** The latest audit errors of the past week (a backward scan of the createdAt index, stopping at `limit`). */
export async function recentFailures(limit = 10, now = Date.now()): Promise<RecentFailure[]> {
  const rows = await db().auditLog.findMany({
    where: { result: 'Error', createdAt: { gte: new Date(now - 7 * DAY) } },
    orderBy: { createdAt: 'desc' },
    take: limit,
  });
  const appIds = [...new Set(rows.map((r) => r.applicationId).filter((id): id is string => !!id))];
  const apps = appIds.length
    ? await db().application.findMany({ where: { id: { in: appIds } }, select: { id: true, name: true } })
    : [];
  const names = new Map(apps.map((a) => [a.id, a.name]));
  return rows.map((r) => {
    const error = (r.payload as { error?: unknown }).error;
    const code = typeof error === 'string' ? error : (error as { code?: unknown } | undefined)?.code;
    const description = typeof error === 'object' && error ? (error as { description?: unknown }).description : undefined;
    return {
      id: r.id,
      key: r.key,
      createdAt: r.createdAt.getTime(),
      applicationId: r.applicationId,
      applicationName: r.applicationId ? names.get(r.applicationId) ?? null : null,
      errorCode: typeof code === 'string' ? code : null,
      errorDescription: typeof description === 'string' ? description.slice(0, 300) : null,
    };
  });
}
