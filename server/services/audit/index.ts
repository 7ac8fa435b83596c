// The audit write path. Records are Logto-shaped: { id, key, payload, createdAt } where payload carries
// { key, result: 'Success' | 'Error', error?, ip, userAgent, applicationId?, userId?, ... }.
import { randomId } from '../crypto.ts';
import { GroupCommit } from '../group-commit.ts';
import { bulkInsert } from '../../db/bulk-insert.ts';
import { maskSecrets } from './mask.ts';
import type { Tx } from '../../db/index.ts';

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

const KEY = Symbol.for('sigil.audit-writer');
function writer(): GroupCommit<Row> {
  const g = globalThis as { [KEY]?: GroupCommit<Row> };
  return (g[KEY] ??= new GroupCommit<Row>(async (rows) => {
    // The hot path (token requests): prepared-statement bulk insert, not Prisma's per-row createMany.
    await bulkInsert('AuditLog', rows);
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
