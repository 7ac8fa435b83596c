// The audit write path. Records are Logto-shaped: { id, key, payload, createdAt } where payload carries
// { key, result: 'Success' | 'Error', error?, ip, userAgent, applicationId?, userId?, ... }.
//
// Token requests are the hot path: their records (and the Token.* webhook outbox rows they imply) are
// group-committed, many requests per transaction, so webhooks cost the token endpoint nothing when no
// hook subscribes and one extra multi-row insert per batch when one does.
import { db } from '../../db/index.ts';
import { timeOrderedId } from '../crypto.ts';
import { tokenEventFor } from '../events/catalog.ts';
import { deliveryRows, enabledHooks, type DeliveryRow } from '../events/outbox.ts';
import { GroupCommit } from '../group-commit.ts';
import { bulkInsert } from '../../db/bulk-insert.ts';
import { outboxCommitted } from '../events/signal.ts';
import { MASK, maskSecrets } from './mask.ts';
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

// Whether a top-level field name is secret-looking, decided by mask.ts's rule once per name. Top-level names
// come from code (a few dozen), not from callers' data; the bound only guards against a misuse.
const secretNames = new Map<string, boolean>();
function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = (maskSecrets({ [name]: 'x' }) as Record<string, unknown>)[name] === MASK;
    if (secretNames.size < 1000) secretNames.set(name, secret);
  }
  return secret;
}

/**
 * The payload as maskSecrets would leave it, minus undefined fields, built in one pass: a token request's
 * record is a handful of flat fields, so only nested values (an error, a claims-script report) take the deep
 * walk. Strings lose U+0000 (PostgreSQL text and jsonb cannot hold it); secret-looking fields are masked.
 */
export function auditPayload(entry: AuditEntry): object {
  const out: Record<string, unknown> = {};
  for (const name in entry) {
    const value = entry[name];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'boolean' && isSecretName(name)) out[name] = MASK;
    else if (typeof value === 'string') out[name] = value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
    else if (value === null || typeof value !== 'object') out[name] = value;
    else out[name] = maskSecrets(value, 1);
  }
  return out;
}

export function toRow(entry: AuditEntry, at = new Date()): Row {
  return {
    // Time-ordered: appended at the right edge of the primary-key index (see crypto.ts), same clock as createdAt.
    id: timeOrderedId(at.getTime()),
    key: entry.key,
    result: entry.result,
    applicationId: entry.applicationId ?? null,
    userId: entry.userId ?? null,
    payload: auditPayload(entry),
    createdAt: at,
  };
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

// One writer per process (module state): batches commit in order.
let writer: GroupCommit<Row> | undefined;
function auditWriter(): GroupCommit<Row> {
  return (writer ??= new GroupCommit<Row>(async (rows) => {
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
  return auditWriter().add(toRow(entry));
}

/** Record inside a data change's transaction, so the record commits (or not) with the change. */
export async function auditInTx(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: toRow(entry) });
}

export function drainAudit(): Promise<void> {
  return auditWriter().drain();
}
