// Webhooks in the console: the same services as /api/hooks, plus the delivery log, redelivery and a
// success-rate chart from the hook's `TriggerHook.*` log entries.
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { DELIVERY_STATUSES, hookCreate, hookPatch, hookTestBody } from '../../schemas/hooks.ts';
import { HOOK_EVENTS, HOOK_EVENT_NAMES } from '../../services/events/catalog.ts';
import * as logs from '../../services/logs.ts';
import * as deliveries from '../../services/webhooks/deliveries.ts';
import * as hooks from '../../services/webhooks/hooks.ts';
import { adminProcedure, router } from '../init.ts';
import { byId, listInput, toPagination } from '../pagination.ts';

const delivery = z.object({ id, deliveryId: id });

export const hooksRouter = router({
  /** The events a hook can subscribe to, with what each means. */
  events: adminProcedure.query(() => HOOK_EVENT_NAMES.map((name) => ({ name, description: HOOK_EVENTS[name] }))),
  list: adminProcedure
    .input(listInput.omit({ search: true }))
    .query(({ input }) => hooks.listHooks({ page: toPagination(input), includeExecutionStats: true })),
  get: adminProcedure.input(byId).query(({ input }) => hooks.getHook(input.id, { includeExecutionStats: true })),
  create: adminProcedure.input(hookCreate).mutation(({ ctx, input }) => hooks.createHook(ctx.actor, input)),
  update: adminProcedure.input(z.object({ id, patch: hookPatch })).mutation(({ ctx, input }) => hooks.updateHook(ctx.actor, input.id, input.patch)),
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => hooks.deleteHook(ctx.actor, input.id)),
  regenerateSigningKey: adminProcedure.input(byId).mutation(({ ctx, input }) => hooks.regenerateSigningKey(ctx.actor, input.id)),
  /** Sends test payloads and returns each receiver's answer (failures are results here, not errors). */
  test: adminProcedure.input(hookTestBody.extend({ id })).mutation(({ ctx, input }) => hooks.testHook(ctx.actor, input.id, { events: input.events, config: input.config })),

  deliveries: adminProcedure
    .input(listInput.omit({ search: true }).extend({ id, status: z.enum(DELIVERY_STATUSES).optional() }))
    .query(({ input }) => deliveries.listDeliveries(input.id, { status: input.status }, toPagination(input))),
  delivery: adminProcedure.input(delivery).query(({ input }) => deliveries.getDelivery(input.id, input.deliveryId)),
  redeliver: adminProcedure.input(delivery).mutation(({ ctx, input }) => deliveries.redeliver(ctx.actor, input.id, input.deliveryId)),
  /** Delivery attempts by result: the last 24 hours by hour, or the last 7 days by day. */
  chart: adminProcedure
    .input(z.object({ id, range: z.enum(['24h', '7d']), tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0) }))
    .query(async ({ input }) => {
      const bucketMs = input.range === '24h' ? 3_600_000 : 86_400_000;
      const count = input.range === '24h' ? 24 : 7;
      const offset = input.range === '7d' ? input.tzOffsetMinutes * 60_000 : 0; // days are the operator's
      const end = Math.floor((Date.now() + offset) / bucketMs) * bucketMs - offset + bucketMs;
      const start = end - count * bucketMs;
      const found = new Map((await logs.logHistogram({ hookId: input.id, start_time: start, end_time: end }, bucketMs, offset)).map((b) => [b.start, b]));
      return Array.from({ length: count }, (_, i) => found.get(start + i * bucketMs) ?? { start: start + i * bucketMs, success: 0, error: 0 });
    }),
});
