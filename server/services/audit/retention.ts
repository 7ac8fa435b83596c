// Retention: audit records older than SIGIL_AUDIT_RETENTION_DAYS are deleted, and so are finished
// webhook deliveries (Delivered or Dead) of the same age; Pending ones are never pruned. Deletion runs in
// batches, each its own short statement, so a large backlog never holds the database for long (SQLite
// has one writer) and an interrupted run simply continues next time.
import { db } from '../../db/index.ts';
import { env } from '../../env.ts';
import { log } from '../../log.ts';

export type PruneResult = { auditLogs: number; deliveries: number; cutoff: number };

const BATCH = 5_000;
const DAY_MS = 86_400_000;

async function pruneBatches(deleteBatch: () => Promise<number>, deadline: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteBatch();
    total += n;
    if (n < BATCH || Date.now() > deadline) return total;
    // Let other writers in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function pruneExpired(options: { now?: number; budgetMs?: number; retentionDays?: number } = {}): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const cutoff = new Date(now - (options.retentionDays ?? env().auditRetentionDays) * DAY_MS);
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  const auditLogs = await pruneBatches(async () => {
    const ids = await db().auditLog.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true }, take: BATCH });
    if (ids.length === 0) return 0;
    return (await db().auditLog.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } })).count;
  }, deadline);
  const deliveries = await pruneBatches(async () => {
    const ids = await db().hookDelivery.findMany({ where: { status: { in: ['Delivered', 'Dead'] }, updatedAt: { lt: cutoff } }, select: { id: true }, take: BATCH });
    if (ids.length === 0) return 0;
    return (await db().hookDelivery.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } })).count;
  }, deadline);
  return { auditLogs, deliveries, cutoff: cutoff.getTime() };
}

/** The self-hosted process prunes 5 minutes after start (not in the way of start-up), then hourly. Returns its stop function. */
export function startRetentionJob(intervalMs = 3600_000, firstRunMs = 5 * 60_000): () => void {
  const run = () =>
    pruneExpired().catch((error: unknown) => {
      log.warn({ err: error }, 'audit retention pruning failed');
    });
  const first = setTimeout(run, firstRunMs);
  const every = setInterval(run, intervalMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
