// A hook's outbox rows, as operators see them (Sigil's addition to Logto's API): status, attempts, the last
// answer, when the next try is due; and manual redelivery, the way back from Dead.
import { db, type Tx } from '../../db/index.ts';
import type { Page, Pagination } from '../../schemas/common.ts';
import type { DeliveryResponse } from '../../schemas/hooks.ts';
import type { Actor } from '../actor.ts';
import { notFound, unprocessable } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { noteOutboxRows } from '../events/signal.ts';
import { skipTake } from '../pages.ts';
import { dataChange } from '../transaction.ts';

type DeliveryRow = Awaited<ReturnType<Tx['hookDelivery']['findUniqueOrThrow']>>;

export function toDeliveryResponse(row: DeliveryRow, now = Date.now()): DeliveryResponse {
  return {
    id: row.id,
    hookId: row.hookId,
    eventId: row.eventId,
    event: row.event,
    status: row.status as DeliveryResponse['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'Pending' ? row.nextAttemptAt.getTime() : null,
    inFlight: row.status === 'Pending' && row.leaseUntil !== null && row.leaseUntil.getTime() > now,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    lastResponse: row.lastResponse,
    deliveredAt: row.deliveredAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
  };
}

async function requireHookId(id: string): Promise<void> {
  if (!(await db().hook.findUnique({ where: { id }, select: { id: true } }))) throw notFound('hook', id);
}

/** Newest first. */
export async function listDeliveries(hookId: string, filter: { status?: string; event?: string }, page: Pagination): Promise<Page<DeliveryResponse>> {
  await requireHookId(hookId);
  const where = { hookId, ...(filter.status ? { status: filter.status } : {}), ...(filter.event ? { event: filter.event } : {}) };
  const [total, rows] = await Promise.all([
    db().hookDelivery.count({ where }),
    db().hookDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], ...skipTake(page) }),
  ]);
  const now = Date.now();
  return { total, items: rows.map((r) => toDeliveryResponse(r, now)) };
}

export async function getDelivery(hookId: string, deliveryId: string) {
  const row = await db().hookDelivery.findFirst({ where: { id: deliveryId, hookId } });
  if (!row) throw notFound('delivery', deliveryId);
  return { ...toDeliveryResponse(row), payload: row.payload as Record<string, unknown> };
}

/**
 * Queue a delivery again, now, with a fresh attempt budget (Delivered rows too: a receiver that lost data
 * can ask for a replay; the payload and `sigil-event-id` are unchanged so it can still de-duplicate).
 * A row a dispatcher holds right now is refused: its attempt's outcome is not known yet.
 */
export async function redeliver(actor: Actor, hookId: string, deliveryId: string): Promise<DeliveryResponse> {
  const row = await dataChange(async (tx) => {
    const before = await tx.hookDelivery.findFirst({ where: { id: deliveryId, hookId } });
    if (!before) throw notFound('delivery', deliveryId);
    const now = new Date();
    const updated = await tx.hookDelivery.updateMany({
      where: { id: deliveryId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { status: 'Pending', attempts: 0, nextAttemptAt: now, leaseOwner: null, leaseUntil: null, deliveredAt: null },
    });
    if (updated.count === 0) throw unprocessable('hook.delivery_in_flight', 'This delivery is being attempted right now; try again when the attempt has finished.', 'deliveryId');
    const after = await tx.hookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    await emitDataEvent(tx, actor, {
      event: 'Hook.Delivery.Redelivered', entity: 'Hook', entityId: hookId,
      before: { deliveryId, eventId: before.eventId, event: before.event, status: before.status, attempts: before.attempts },
      after: { deliveryId, status: after.status },
    });
    noteOutboxRows(tx);
    return after;
  });
  return toDeliveryResponse(row);
}
