import { z } from 'zod';
import { epochMs, id, jsonObject } from './common.ts';

/** Epoch milliseconds in a query string. */
const msQuery = z.coerce.number().int().min(0).max(8.64e15);

/** Logto's `GET /api/logs` filters plus time bounds and `result` (Sigil). */
export const logFilterQuery = z.object({
  userId: z.string().min(1).max(128).optional(),
  applicationId: z.string().min(1).max(128).optional(),
  /** An exact key (`ExchangeTokenBy.ClientCredentials`), or a prefix ending in `*` (`TriggerHook.*`). */
  logKey: z.string().min(1).max(256).optional(),
  result: z.enum(['Success', 'Error']).optional(),
  /** Inclusive lower bound, epoch ms. */
  start_time: msQuery.optional(),
  /** Exclusive upper bound, epoch ms. */
  end_time: msQuery.optional(),
});
export type LogFilterQuery = z.infer<typeof logFilterQuery>;

export const logExportQuery = logFilterQuery.extend({ format: z.enum(['ndjson', 'csv']).default('ndjson') });

export const logResponse = z.object({
  id,
  key: z.string(),
  payload: jsonObject.describe('{ key, result, error?, ip?, userAgent?, applicationId?, userId?, actor?, entity?, entityId?, before?, after?, ... }; secrets masked'),
  createdAt: epochMs,
});
export type LogResponse = z.infer<typeof logResponse>;

/** Logto's hook execution stats (last 24 h): requests made and how many succeeded. */
export const executionStats = z.object({ requestCount: z.number().int(), successCount: z.number().int() });
export type ExecutionStats = z.infer<typeof executionStats>;
