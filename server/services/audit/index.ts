// The audit write path. Records are Logto-shaped: { id, key, payload, createdAt } where payload carries
// { key, result: 'Success' | 'Error', error?, ip, userAgent, applicationId?, userId?, ... }.
//
// Token requests are the hot path: their records (and the Token.* webhook outbox rows they imply) are
// group-committed, many requests per transaction, so webhooks cost the token endpoint nothing when no
// hook subscribes and one extra multi-row insert per batch when one does.
import { db } from '../../db/index.ts';
import { randomId } from '../crypto.ts';
import { tokenEventFor } from '../events/catalog.ts';
import { deliveryRows, enabledHooks, type DeliveryRow } from '../events/outbox.ts';
import { GroupCommit } from '../group-commit.ts';
import { bulkInsert } from '../../db/bulk-insert.ts';
import { outboxCommitted } from '../events/signal.ts';
import { maskSecrets } from './mask.ts';
import type { Tx } from '../../db/index.ts';

export { maskSecrets } from './mask.ts';

export type AuditResult = 'Success' | 'Error';

export type AuditEntry = {
  key: string;
  result: AuditResult;
  applicationId?: string | null;
  userId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  error?: { code: string; description?: string } | string;
  [field: string]: unknown;
};

type Row = { id: string; key: string; result: string; applicationId: string | null; userId: string | null; payload: object; createdAt: Date };

export function toRow(entry: AuditEntry, at = new Date()): Row {
  const payload = maskSecrets(entry) as Record<string, unknown>;
  return {
    id: randomId(),
    key: entry.key,
    result: entry.result,
    applicationId: entry.applicationId ?? null,
    userId: entry.userId ?? null,
    payload: stripUndefined(payload),
    createdAt: at,
  };
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Token.* webhook rows for a batch of audit rows (none unless a hook subscribes to a token event). */
async function tokenDeliveries(rows: Row[]): Promise<DeliveryRow[]> {
  const candidates = rows.filter((r) => r.key.startsWith('ExchangeTokenBy.') || r.key === 'RevokeToken');
  if (candidates.length === 0) return [];
  const hooks = await enabledHooks();
  if (hooks.length === 0) return [];
  return candidates.flatMap((r) => {
    const payload = r.payload as Record<string, unknown>;
    const event = tokenEventFor(r.key, r.result, payload);
    if (!event) return [];
    const { ip, userAgent, key, ...data } = payload;
    return deliveryRows(hooks, { event, createdAt: r.createdAt.toISOString(), userAgent, ip, data: { ...data, auditKey: key, logId: r.id } });
  });
}

const KEY = Symbol.for('sigil.audit-writer');
function writer(): GroupCommit<Row> {
  const g = globalThis as { [KEY]?: GroupCommit<Row> };
  return (g[KEY] ??= new GroupCommit<Row>(async (rows) => {
    const deliveries = await tokenDeliveries(rows);
    if (deliveries.length === 0) {
      // The hot path (token requests): prepared-statement bulk insert, not Prisma's per-row createMany.
      await bulkInsert('AuditLog', rows);
      return;
    }
    await db().$transaction([db().auditLog.createMany({ data: rows }), db().hookDelivery.createMany({ data: deliveries })]);
    outboxCommitted();
  }));
}

/** Durably record an event that is not part of a data change (token requests, hook deliveries). */
export function audit(entry: AuditEntry): Promise<void> {
  return writer().add(toRow(entry));
}

/** Record inside a data change's transaction, so the record commits (or not) with the change. */
export async function auditInTx(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: toRow(entry) });
}

export function drainAudit(): Promise<void> {
  return writer().drain();
}
