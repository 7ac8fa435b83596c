// Webhooks in the console: every Management operation on /api/hooks (derived from its one declaration),
// plus the event catalogue, a test send that shows each receiver's answer, and a success-rate chart from
// the hook's `TriggerHook.*` log entries (console-only).
import { z } from 'zod';
import { hookOps } from '../../management-api/routes/hooks.ts';
import { id } from '../../schemas/common.ts';
import { hookTestBody } from '../../schemas/hooks.ts';
import { HOOK_EVENTS, HOOK_EVENT_NAMES } from '../../services/events/catalog.ts';
import * as logs from '../../services/logs.ts';
import * as hooks from '../../services/webhooks/hooks.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';

export const hooksRouter = router({
  ...proceduresOf(hookOps),

  /** The events a hook can subscribe to, with what each means. */
  events: adminProcedure.query(() => HOOK_EVENT_NAMES.map((name) => ({ name, description: HOOK_EVENTS[name] }))),
  /**
   * Sends test payloads and returns each receiver's answer, successes included (POST /api/hooks/:id/test
   * answers Logto's bodiless 204 then, so the console cannot use it).
   */
  test: adminProcedure.input(hookTestBody.extend({ id })).mutation(({ ctx, input: { id: hookId, ...body } }) => hooks.testHook(ctx.actor, hookId, body)),
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
