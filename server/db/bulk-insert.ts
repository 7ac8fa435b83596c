// Bulk inserts for the hot write paths (audit records, opaque tokens) without Prisma's per-row query
// building, which measured ~200 µs of CPU per row through createMany. SQLite: a worker thread with its own
// connection and prepared statements (commits off the main thread). PostgreSQL: one multi-row raw INSERT.
// Rows are plain objects whose keys are column names; Dates, objects (JSON) and booleans are converted here.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { db, dbProvider, sqlitePath } from './index.ts';
import { env } from '../env.ts';

export type Row = Record<string, string | number | boolean | Date | null | object>;

type Pending = { resolve: () => void; reject: (e: Error) => void };
type SqliteWriter = { worker: Worker; pending: Map<number, Pending>; nextId: number };

const KEY = Symbol.for('sigil.sqlite-writer');
const holder = globalThis as { [KEY]?: SqliteWriter | null };

/** Start the SQLite writer thread (the self-hosted server calls this; elsewhere inserts go through Prisma). */
export function enableSqliteWriterThread(): void {
  if (dbProvider() !== 'sqlite' || holder[KEY]) return;
  const worker = new Worker(fileURLToPath(new URL('./sqlite-writer.worker.mjs', import.meta.url)), {
    workerData: { path: sqlitePath(env().databaseUrl) },
  });
  const writer: SqliteWriter = { worker, pending: new Map(), nextId: 1 };
  worker.on('message', (m: { id: number; ok: boolean; message?: string }) => {
    const p = writer.pending.get(m.id);
    writer.pending.delete(m.id);
    if (m.ok) p?.resolve();
    else p?.reject(new Error(`bulk insert failed: ${m.message}`));
  });
  worker.on('error', (error) => {
    for (const p of writer.pending.values()) p.reject(error);
    writer.pending.clear();
    holder[KEY] = null; // fall back to Prisma until restarted
  });
  worker.unref();
  holder[KEY] = writer;
}

export async function stopSqliteWriterThread(): Promise<void> {
  const writer = holder[KEY];
  holder[KEY] = null;
  await writer?.worker.terminate();
}

function sqliteValue(v: Row[string]): string | number | null {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime(); // the adapter stores DateTime as unix milliseconds
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export async function bulkInsert(table: 'AuditLog' | 'OpaqueToken', rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const writer = holder[KEY];
  if (writer) {
    const id = writer.nextId++;
    const values = rows.map((r) => columns.map((c) => sqliteValue(r[c] ?? null)));
    await new Promise<void>((resolve, reject) => {
      writer.pending.set(id, { resolve, reject });
      writer.worker.postMessage({ id, table, columns, rows: values });
    });
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
