// Transactional outbox: one HookDelivery row per (subscribed hook, event), written in the change's
// transaction. The dispatcher (server/services/webhooks) delivers them after commit.
import type { Tx } from '../../db/index.ts';
import { randomId } from '../crypto.ts';

export type HookEventBody = { event: string; createdAt: string; data: unknown; [k: string]: unknown };

export async function enqueueHookDeliveries(tx: Tx, body: HookEventBody): Promise<number> {
  const hooks = await tx.hook.findMany({ where: { enabled: true }, select: { id: true, events: true } });
  const subscribed = hooks.filter((h) => Array.isArray(h.events) && (h.events as unknown[]).includes(body.event));
  if (subscribed.length === 0) return 0;
  const eventId = randomId();
  await tx.hookDelivery.createMany({
    data: subscribed.map((h) => ({
      id: randomId(),
      hookId: h.id,
      eventId,
      event: body.event,
      payload: JSON.parse(JSON.stringify({ hookId: h.id, ...body })) as object,
    })),
  });
  return subscribed.length;
}
