// Reading the audit log: Logto's list and detail, a streaming export, the console's histogram, and the
// webhook views built on `TriggerHook.*` entries (recent logs, 24 h execution stats).
import { jsonText, keyPrefix, placeholders as sql, timeBucket } from '../db/dialect/index.ts';
import { db } from '../db/index.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { ExecutionStats, LogFilterQuery, LogResponse } from '../schemas/logs.ts';
import { csvRow } from './audit/csv.ts';
import { notFound } from './errors.ts';
import { skipTake } from './pages.ts';

type LogRow = { id: string; key: string; payload: unknown; createdAt: Date };

export function toLogResponse(row: LogRow): LogResponse {
  return { id: row.id, key: row.key, payload: (row.payload ?? {}) as Record<string, unknown>, createdAt: row.createdAt.getTime() };
}

function where(f: LogFilterQuery) {
  const key = f.logKey?.endsWith('*') ? { startsWith: f.logKey.slice(0, -1) } : f.logKey;
  return {
    ...(f.userId ? { userId: f.userId } : {}),
    ...(f.applicationId ? { applicationId: f.applicationId } : {}),
    ...(key ? { key } : {}),
    ...(f.result ? { result: f.result } : {}),
    ...(f.start_time !== undefined || f.end_time !== undefined
      ? { createdAt: { ...(f.start_time !== undefined ? { gte: new Date(f.start_time) } : {}), ...(f.end_time !== undefined ? { lt: new Date(f.end_time) } : {}) } }
      : {}),
  };
}

/** Newest first, as Logto. */
export async function listLogs(filter: LogFilterQuery, page: Pagination): Promise<Page<LogResponse>> {
  const w = where(filter);
  const [total, rows] = await Promise.all([
    db().auditLog.count({ where: w }),
    db().auditLog.findMany({ where: w, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows.map(toLogResponse) };
}

export async function getLog(id: string): Promise<LogResponse> {
  const row = await db().auditLog.findUnique({ where: { id } });
  if (!row) throw notFound('log', id);
  return toLogResponse(row);
}

// ---- Export ----------------------------------------------------------------------------------------

export const EXPORT_PAGE_SIZE = 1000;
const CSV_COLUMNS = ['id', 'createdAt', 'key', 'result', 'applicationId', 'userId', 'ip', 'userAgent', 'payload'] as const;

/**
 * The matching log, oldest first, one page (1,000 rows) in memory at a time: a keyset cursor over
 * (createdAt, id), never OFFSET, so page N costs what page 1 costs. The upper bound is fixed when the
 * export starts, so records written meanwhile do not make it chase its own tail.
 */
export async function* exportLogs(filter: LogFilterQuery, format: 'ndjson' | 'csv', now = Date.now()): AsyncGenerator<string> {
  const upper = Math.min(filter.end_time ?? Infinity, now + 1);
  const base = where({ ...filter, end_time: upper });
  if (format === 'csv') yield csvRow([...CSV_COLUMNS]);
  let cursor: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const after = cursor ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] } : {};
    const rows: LogRow[] = await db().auditLog.findMany({
      where: { AND: [base, after] },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: EXPORT_PAGE_SIZE,
      select: { id: true, key: true, payload: true, createdAt: true },
    });
    if (rows.length === 0) return;
    let chunk = '';
    for (const row of rows) chunk += format === 'csv' ? csvLine(row) : `${JSON.stringify(toLogResponse(row))}\n`;
    yield chunk;
    if (rows.length < EXPORT_PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
}

function csvLine(row: LogRow): string {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  return csvRow([row.id, row.createdAt.toISOString(), row.key, p.result, p.applicationId, p.userId, p.ip, p.userAgent, p]);
}

// ---- Raw SQL (`?` placeholders through `sql`; the dialect writes JSON fields, key prefixes, buckets) ----

const hookIdOf = () => jsonText('"payload"', 'hookId');

/** `TriggerHook.*`: by the (key, createdAt) index where the database can; the createdAt bound keeps the rest to the window. */
const triggerHookKeys = () => keyPrefix('"key"', 'TriggerHook.');

const DAY_MS = 24 * 3600_000;

/** Logto's `GET /hooks/:id/recent-logs`: this hook's `TriggerHook.*` entries of the last 24 h, newest first. */
export async function recentHookLogs(hookId: string, query: { logKey?: string }, page: Pagination): Promise<Page<LogResponse>> {
  const since = new Date(Date.now() - DAY_MS);
  const keyFilter = query.logKey ? ` AND "key" = ?` : '';
  const args: unknown[] = [since, hookId, ...(query.logKey ? [query.logKey] : [])];
  const filter = `${triggerHookKeys()} AND "createdAt" > ? AND ${hookIdOf()} = ?${keyFilter}`;
  const [countRows, idRows] = await Promise.all([
    db().$queryRawUnsafe<Array<{ n: bigint | number }>>(sql(`SELECT count(*) AS n FROM "AuditLog" WHERE ${filter}`), ...args),
    db().$queryRawUnsafe<Array<{ id: string }>>(
      sql(`SELECT "id" FROM "AuditLog" WHERE ${filter} ORDER BY "createdAt" DESC, "id" DESC LIMIT ? OFFSET ?`),
      ...args, page.page_size, (page.page - 1) * page.page_size,
    ),
  ]);
  const ids = idRows.map((r) => r.id);
  const rows = ids.length ? await db().auditLog.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }) : [];
  return { total: Number(countRows[0]?.n ?? 0), items: rows.map(toLogResponse) };
}

/** Logto's `executionStats` (last 24 h) for the given hooks, in one grouped query. */
export async function hookExecutionStats(hookIds: string[]): Promise<Map<string, ExecutionStats>> {
  const stats = new Map(hookIds.map((id) => [id, { requestCount: 0, successCount: 0 }]));
  if (hookIds.length === 0) return stats;
  const since = new Date(Date.now() - DAY_MS);
  const rows = await db().$queryRawUnsafe<Array<{ hookId: string; requests: bigint | number; successes: bigint | number | null }>>(
    sql(`SELECT ${hookIdOf()} AS "hookId", count(*) AS "requests", sum(CASE WHEN "result" = 'Success' THEN 1 ELSE 0 END) AS "successes"
         FROM "AuditLog" WHERE ${triggerHookKeys()} AND "createdAt" > ? AND ${hookIdOf()} IN (${hookIds.map(() => '?').join(', ')})
         GROUP BY 1`),
    since, ...hookIds,
  );
  for (const r of rows) stats.set(r.hookId, { requestCount: Number(r.requests), successCount: Number(r.successes ?? 0) });
  return stats;
}

/**
 * Events over time by result, for the console charts (the audit log page; a webhook's deliveries with
 * `hookId`). Buckets with no events are omitted.
 */
export async function logHistogram(filter: LogFilterQuery & { hookId?: string }, bucketMs: number, offsetMs = 0): Promise<Array<{ start: number; success: number; error: number }>> {
  const end = filter.end_time ?? Date.now();
  const start = filter.start_time ?? end - 7 * DAY_MS;
  const clauses = [`"createdAt" >= ?`, `"createdAt" < ?`];
  const args: unknown[] = [new Date(start), new Date(end)];
  for (const [column, value] of [['userId', filter.userId], ['applicationId', filter.applicationId], ['result', filter.result]] as const) {
    if (value) {
      clauses.push(`"${column}" = ?`);
      args.push(value);
    }
  }
  if (filter.hookId) {
    clauses.push(triggerHookKeys(), `${hookIdOf()} = ?`);
    args.push(filter.hookId);
  }
  if (filter.logKey?.endsWith('*')) {
    clauses.push(`substr("key", 1, ?) = ?`);
    args.push(filter.logKey.length - 1, filter.logKey.slice(0, -1));
  } else if (filter.logKey) {
    clauses.push(`"key" = ?`);
    args.push(filter.logKey);
  }
  // Integers by construction, so safe to inline. `offsetMs` aligns buckets to the operator's local days.
  const b = Math.max(60_000, Math.trunc(bucketMs));
  const off = Math.trunc(offsetMs) % 86_400_000;
  const bucket = timeBucket('"createdAt"', b, off);
  const rows = await db().$queryRawUnsafe<Array<{ start: bigint | number; success: bigint | number | null; error: bigint | number | null }>>(
    sql(`SELECT ${bucket} AS "start",
                sum(CASE WHEN "result" = 'Success' THEN 1 ELSE 0 END) AS "success",
                sum(CASE WHEN "result" = 'Error' THEN 1 ELSE 0 END) AS "error"
         FROM "AuditLog" WHERE ${clauses.join(' AND ')} GROUP BY 1 ORDER BY 1`),
    ...args,
  );
  return rows.map((r) => ({ start: Number(r.start), success: Number(r.success ?? 0), error: Number(r.error ?? 0) }));
}
