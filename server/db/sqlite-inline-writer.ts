// Bulk inserts on SQLite through a second, raw better-sqlite3 connection on the main thread: one prepared
// statement per table and one short transaction per batch (~5-10 µs a row). The token endpoint's per-request
// reads and single-row writes use the same connection (db/sqlite-hot.ts): ~10-20 µs a statement where a
// Prisma query costs ~200-500 µs of CPU. It never waits for the write lock: the connection has no busy
// timeout, and a write that meets SQLITE_BUSY (another connection is inside a write transaction, e.g.
// Prisma's interactive transaction awaiting on this same event loop) is retried asynchronously, so it can
// neither block the loop nor deadlock with that transaction.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

type Statement = ReturnType<Database.Database['prepare']>;
export type SqliteValue = string | number | null;
type WriteStep = { sql: string; params: SqliteValue[] };
export type SqliteInlineWriter = {
  insert(table: string, columns: string[], rows: Array<Array<SqliteValue>>): Promise<void>;
  /** One row of a read (the statement prepared once per SQL text). In WAL mode a read never waits for a lock. */
  get<T>(sql: string, params: SqliteValue[]): T | undefined;
  all<T>(sql: string, params: SqliteValue[]): T[];
  /**
   * `first`, then, only when it changed exactly one row, `then`: one transaction, retried like a batch on SQLITE_BUSY.
   * Resolves false, with nothing written, when `first` changed no row.
   */
  runIfOne(first: WriteStep, then: WriteStep[]): Promise<boolean>;
  close(): void;
};

const RETRY_MS = 2;
const GIVE_UP_MS = 10_000;
/** The WAL is restarted once it holds this much (see sqlite-checkpointer.worker.mjs). */
const WAL_BYTES = 64 * 1024 * 1024;

export function openInlineWriter(path: string): SqliteInlineWriter {
  const db = new Database(path, { timeout: 0 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Checkpoints (and their fsyncs) run on the checkpointer thread, not inside a request's commit; when the
  // log restarts, its file is cut back to WAL_BYTES so one burst does not keep a large file forever.
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_BYTES}`);
  const checkpointer = new Worker(fileURLToPath(new URL('./sqlite-checkpointer.worker.mjs', import.meta.url)), {
    workerData: { path, intervalMs: 200, restartBytes: WAL_BYTES },
  });
  checkpointer.unref();
  const statements = new Map<string, Statement>();
  const statement = (table: string, columns: string[]) => {
    const key = `${table}:${columns.join(',')}`;
    let stmt = statements.get(key);
    if (!stmt) {
      stmt = db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      statements.set(key, stmt);
    }
    return stmt;
  };
  const batch = db.transaction((stmt: Statement, rows: Array<Array<SqliteValue>>) => {
    for (const row of rows) stmt.run(row);
  });
  const prepared = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  /** Runs `write` now, or again every RETRY_MS while another connection holds the write lock. */
  const retried = <T>(write: () => T) => {
    const started = Date.now();
    return new Promise<T>((resolve, reject) => {
      const attempt = () => {
        try {
          resolve(write());
        } catch (error) {
          const code = (error as { code?: string }).code;
          if ((code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') && Date.now() - started < GIVE_UP_MS) setTimeout(attempt, RETRY_MS);
          else reject(error);
        }
      };
      attempt();
    });
  };

  return {
    insert(table, columns, rows) {
      const stmt = statement(table, columns);
      return retried(() => batch(stmt, rows));
    },
    get: <T>(sql: string, params: SqliteValue[]) => prepare(sql).get(params) as T | undefined,
    all: <T>(sql: string, params: SqliteValue[]) => prepare(sql).all(params) as T[],
    runIfOne(first, then) {
      const steps = db.transaction(() => {
        if (prepare(first.sql).run(first.params).changes !== 1) return false;
        for (const step of then) prepare(step.sql).run(step.params);
        return true;
      });
      return retried(() => steps());
    },
    close: () => {
      checkpointer.postMessage('stop');
      db.close();
    },
  };
}
