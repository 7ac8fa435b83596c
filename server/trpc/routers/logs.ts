// The audit log in the console: filtered pages, one entry, and events over time by result.
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { logFilterQuery } from '../../schemas/logs.ts';
import * as logs from '../../services/logs.ts';
import { adminProcedure, router } from '../init.ts';
import { toPagination } from '../pagination.ts';

const filter = logFilterQuery.extend({
  start_time: z.number().int().min(0).optional(),
  end_time: z.number().int().min(0).optional(),
});

export const logsRouter = router({
  list: adminProcedure
    .input(filter.extend({ page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(100).default(20) }))
    .query(({ input }) => {
      const { page, pageSize, ...f } = input;
      return logs.listLogs(f, toPagination({ page, pageSize }));
    }),
  get: adminProcedure.input(z.object({ id })).query(({ input }) => logs.getLog(input.id)),
  histogram: adminProcedure
    .input(filter.extend({ bucketMs: z.number().int().min(60_000).max(31 * 86_400_000), tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0) }))
    .query(({ input }) => {
      const { bucketMs, tzOffsetMinutes, ...f } = input;
      return logs.logHistogram(f, bucketMs, bucketMs >= 86_400_000 ? tzOffsetMinutes * 60_000 : 0);
    }),
});
