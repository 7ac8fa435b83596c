// The console's landing page: token request volume, entity counts, recent failures.
import { z } from 'zod';
import * as dashboard from '../../services/dashboard.ts';
import { adminProcedure, router } from '../init.ts';

export const dashboardRouter = router({
  tokenRequests: adminProcedure
    .input(z.object({ range: z.enum(['24h', '7d']), tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60) }))
    .query(({ input }) => dashboard.tokenRequestStats(input.range, input.tzOffsetMinutes)),
  counts: adminProcedure.query(() => dashboard.entityCounts()),
  recentFailures: adminProcedure.query(() => dashboard.recentFailures(10)),
});
