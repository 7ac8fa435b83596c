// Worker thread for bulk inserts on SQLite: its own better-sqlite3 connection and cached prepared
// statements, one transaction per batch. Plain JavaScript so it runs without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');

const statements = new Map();
function statement(table, columns) {
  const key = `${table}:${columns.join(',')}`;
  let stmt = statements.get(key);
  if (!stmt) {
    const cols = columns.map((c) => `"${c}"`).join(', ');
    stmt = db.prepare(`INSERT INTO "${table}" (${cols}) VALUES (${columns.map(() => '?').join(', ')})`);
    statements.set(key, stmt);
  }
  return stmt;
}

const insertBatch = db.transaction((table, columns, rows) => {
  const stmt = statement(table, columns);
  for (const row of rows) stmt.run(row);
});

parentPort.on('message', ({ id, table, columns, rows }) => {
  try {
    insertBatch(table, columns, rows);
    parentPort.postMessage({ id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String(error && error.message ? error.message : error) });
  }
});
