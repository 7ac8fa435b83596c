// The audit log in the console: list and get are the Management operations on /api/logs (derived from
// their one declaration); events over time by result is the console's chart.
import { z } from 'zod';
import { logOps } from '../../management-api/routes/logs.ts';
import { logFilterQuery } from '../../schemas/logs.ts';
import * as logs from '../../services/logs.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';

export const logsRouter = router({
  ...proceduresOf(logOps),
  histogram: adminProcedure
    .input(logFilterQuery.extend({ bucketMs: z.number().int().min(60_000).max(31 * 86_400_000), tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0) }))
    .query(({ input }) => {
      const { bucketMs, tzOffsetMinutes, ...f } = input;
      return logs.logHistogram(f, bucketMs, bucketMs >= 86_400_000 ? tzOffsetMinutes * 60_000 : 0);
    }),
});
