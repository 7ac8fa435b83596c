// Bulk inserts for the hot write paths (audit records, opaque tokens) without Prisma's per-row query
// building, which measured ~200 µs of CPU per row through createMany. SQLite: a raw connection with prepared
// statements (sqlite-inline-writer.ts; a worker thread was tried and cost more: ~40 µs of cross-thread
// wake-up per batch). PostgreSQL: one multi-row raw INSERT. Elsewhere (Next-only processes on SQLite):
// Prisma's createMany.
// Rows are plain objects whose keys are column names; Dates, objects (JSON) and booleans are converted here.
import { db, dbProvider, sqlitePath } from './index.ts';
import { env } from '../env.ts';
import { openInlineWriter, type SqliteInlineWriter } from './sqlite-inline-writer.ts';

export type Row = Record<string, string | number | boolean | Date | null | object>;

export function sqliteValue(v: Row[string]): string | number | null {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime(); // the adapter stores DateTime as unix milliseconds
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

let inlineWriter: SqliteInlineWriter | undefined;

/** Raw prepared-statement inserts on the main thread (the self-hosted server enables this). */
export function enableSqliteInlineWriter(): void {
  if (dbProvider() !== 'sqlite' || inlineWriter) return;
  inlineWriter = openInlineWriter(sqlitePath(env().databaseUrl));
}

/** The raw SQLite connection when enabled (the self-hosted server on SQLite), for db/sqlite-hot.ts. */
export function sqliteInlineConnection(): SqliteInlineWriter | undefined {
  return inlineWriter;
}

export async function bulkInsert(table: 'AuditLog' | 'OpaqueToken', rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const inline = inlineWriter;
  if (inline) {
    await inline.insert(table, columns, rows.map((r) => columns.map((c) => sqliteValue(r[c] ?? null))));
    return;
  }
  if (dbProvider() === 'postgresql') {
    const params: unknown[] = [];
    const tuples = rows.map((r) =>
      `(${columns
        .map((c) => {
          const v = r[c] ?? null;
          params.push(v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
          const cast = v instanceof Date ? '::timestamp(3)' : v !== null && typeof v === 'object' ? '::jsonb' : '';
          return `$${params.length}${cast}`;
        })
        .join(', ')})`,
    );
    await db().$executeRawUnsafe(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, ...params);
    return;
  }
  const model = table === 'AuditLog' ? db().auditLog : db().opaqueToken;
  await (model.createMany as unknown as (args: { data: Row[] }) => Promise<unknown>)({ data: rows });
}
