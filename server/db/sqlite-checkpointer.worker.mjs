// Checkpoints the SQLite WAL from its own thread and connection, so the fsyncs of a checkpoint never stall
// the event loop that answers token requests (the request path's writer has automatic checkpoints off).
//
// A PASSIVE checkpoint never blocks the writer, but under sustained writes it never catches up either: frames
// are appended while it copies and syncs, so the log is never fully backfilled and SQLite never restarts it
// from the beginning. The WAL then grows without bound (gigabytes in a minute at full load) and every page
// lookup walks a longer WAL index. So once the log holds more than `restartBytes`, one RESTART checkpoint
// takes the write lock briefly: it only copies what the last PASSIVE pass left (a few hundred ms of writes)
// and syncs, and the next commit starts the log over. The request path's writer meets SQLITE_BUSY meanwhile
// and retries asynchronously (sqlite-inline-writer.ts): a stall of a few ms every several seconds, not a
// blocked event loop.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, intervalMs = 200, restartBytes = 64 * 1024 * 1024 } = workerData;
const db = new Database(path, { timeout: 2000 });
const pageSize = db.pragma('page_size', { simple: true });

function checkpoint() {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive.log * pageSize > restartBytes) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // Busy or locked: the next tick tries again; nothing is lost by waiting.
  }
}

const timer = setInterval(checkpoint, intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    process.exit(0);
  }
});
