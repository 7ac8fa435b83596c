// Transactional outbox: one HookDelivery row per (subscribed hook, event), written in the same
// transaction as the change (data events) or the same batch as the audit records (token events). The
// dispatcher (server/services/webhooks) delivers them after commit; nothing is sent inline.
import { db, type Tx } from '../../db/index.ts';
import { cached } from '../cache.ts';
import { randomId } from '../crypto.ts';

/** Logto's payload minus `hookId` (added per hook): `event, createdAt, userAgent?, ip?, path?, ... data`. */
export type HookEventBody = { event: string; createdAt: string; data?: unknown; [k: string]: unknown };

/** `event` is Logto's deprecated single event: it subscribes like an entry of `events`. */
type Subscriber = { id: string; events: unknown; event?: string | null };
export type DeliveryRow = { id: string; hookId: string; eventId: string; event: string; payload: object };

function subscribed(hooks: Subscriber[], event: string): Subscriber[] {
  return hooks.filter((h) => h.event === event || (Array.isArray(h.events) && (h.events as unknown[]).includes(event)));
}

/** Rows for one event; every hook's row carries the same `eventId`, so duplicates can be recognised. */
export function deliveryRows(hooks: Subscriber[], body: HookEventBody, eventId = randomId()): DeliveryRow[] {
  return subscribed(hooks, body.event).map((h) => ({
    id: randomId(),
    hookId: h.id,
    eventId,
    event: body.event,
    // JSON round trip: drop undefined and turn Dates into strings, as the receiver will see it.
    payload: JSON.parse(JSON.stringify({ hookId: h.id, ...body })) as object,
  }));
}

/** Inside a data change's transaction: read subscriptions in the transaction itself. */
export async function enqueueHookDeliveries(tx: Tx, body: HookEventBody): Promise<number> {
  const hooks = await tx.hook.findMany({ where: { enabled: true }, select: { id: true, events: true, event: true } });
  const rows = deliveryRows(hooks, body);
  if (rows.length > 0) await tx.hookDelivery.createMany({ data: rows });
  return rows.length;
}

/**
 * Enabled hooks and their events, cached for the token hot path (hook changes run in `configChange`,
 * which clears this cache here and, within SIGIL_CACHE_TTL_MS, in other instances).
 */
export function enabledHooks(): Promise<Subscriber[]> {
  return cached('hooks:enabled', () => db().hook.findMany({ where: { enabled: true }, select: { id: true, events: true, event: true } }));
}
