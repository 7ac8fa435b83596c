// Console dashboard figures, read from the audit log and entity tables.
// Token requests are counted in SQL, grouped by hour and result, over the last 8 days only (a range scan
// on an AuditLog index); the hourly rows are folded into the operator's local days here.
import { db, dbProvider } from '../db/index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Audit keys of token endpoint requests (`ExchangeTokenBy.ClientCredentials`, `.TokenExchange`, ...). */
const TOKEN_KEY_PREFIX = 'ExchangeTokenBy.';

export type Bucket = { start: number; success: number; error: number };
export type TokenRequestStats = { hourly: Bucket[]; daily: Bucket[] };

type Row = { hour: bigint | number; result: string; n: bigint | number };

async function hourlyCounts(since: Date): Promise<Row[]> {
  if (dbProvider() === 'sqlite') {
    // SQLite stores DateTime as epoch milliseconds here; BINARY key comparison uses the (key, createdAt) index.
    return db().$queryRawUnsafe<Row[]>(
      `SELECT ("createdAt" / ${HOUR}) AS hour, "result" AS result, COUNT(*) AS n FROM "AuditLog"
       WHERE "key" >= ? AND "key" < ? AND "createdAt" >= ? GROUP BY hour, result`,
      TOKEN_KEY_PREFIX, 'ExchangeTokenBy/', since.getTime(),
    );
  }
  // PostgreSQL: a LIKE prefix under a locale collation cannot use the key index, so this is a range scan on createdAt.
  return db().$queryRawUnsafe<Row[]>(
    `SELECT floor(extract(epoch FROM "createdAt") / 3600)::bigint AS hour, "result" AS result, COUNT(*)::bigint AS n FROM "AuditLog"
     WHERE "createdAt" >= $1 AND "key" LIKE 'ExchangeTokenBy.%' GROUP BY 1, 2`,
    since,
  );
}

/**
 * The last 24 hours by hour and the last 7 local days by day (today included). `tzOffsetMinutes` is the
 * operator's offset east of UTC; for zones with half-hour offsets an hour is counted in the day it starts.
 */
export async function tokenRequestStats(tzOffsetMinutes: number, now = Date.now()): Promise<TokenRequestStats> {
  const offset = tzOffsetMinutes * 60_000;
  const thisHour = Math.floor(now / HOUR) * HOUR;
  const today = Math.floor((now + offset) / DAY) * DAY - offset;
  const hourly: Bucket[] = Array.from({ length: 24 }, (_, i) => ({ start: thisHour - (23 - i) * HOUR, success: 0, error: 0 }));
  const daily: Bucket[] = Array.from({ length: 7 }, (_, i) => ({ start: today - (6 - i) * DAY, success: 0, error: 0 }));
  const since = new Date(Math.min(hourly[0]!.start, daily[0]!.start));

  for (const row of await hourlyCounts(since)) {
    const start = Number(row.hour) * HOUR;
    const n = Number(row.n);
    const field = row.result === 'Success' ? 'success' : 'error';
    const h = hourly[(start - hourly[0]!.start) / HOUR];
    if (h) h[field] += n;
    const d = daily[Math.floor((start - daily[0]!.start) / DAY)];
    if (d) d[field] += n;
  }
  return { hourly, daily };
}

export async function entityCounts() {
  const [applications, resources, roles, users] = await Promise.all([
    db().application.count(),
    db().resource.count({ where: { isBuiltIn: false } }),
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
