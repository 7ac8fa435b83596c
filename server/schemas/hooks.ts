import { z } from 'zod';
import { HOOK_EVENT_NAMES, type HookEvent } from '../services/events/catalog.ts';
import { epochMs, id } from './common.ts';
import { executionStats } from './logs.ts';

export const hookEvent = z.enum(HOOK_EVENT_NAMES as [HookEvent, ...HookEvent[]]);
/** Logto: a non-empty list, de-duplicated. */
export const hookEvents = z.array(hookEvent).min(1).max(HOOK_EVENT_NAMES.length * 2).transform((events) => [...new Set(events)]);

// RFC 7230 §3.2.6 token, as Node's http checks it.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
// Printable Latin-1: Node's http refuses control characters (but tab) and anything above U+00FF; C1
// controls (U+0080-U+009F) and tab it would pass are refused too, as no receiver expects them.
const HEADER_VALUE = /^[\x20-\x7e\xa0-\xff]*$/;

/** Why a custom header cannot be sent, or undefined when it can. Checked on save and before each delivery. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name)) return 'is not a valid HTTP header name (RFC 7230 token characters, at most 128)';
  if (!HEADER_VALUE.test(value)) return 'must hold printable Latin-1 characters only (no control characters, nothing above U+00FF)';
  return undefined;
}

/**
 * As Logto, a value that is not a URL at all is stored as given (its tests save `not_work_url`); each
 * delivery to it fails with `invalid_url` (recorded, visible in recent-logs). A URL with another scheme
 * than http(s), and control characters, are refused.
 */
export const hookUrl = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((v) => !/[\x00-\x1f\x7f]/.test(v), 'must not contain control characters')
  // What parses as a URL must be an http(s) one with a host (no file:, ftp:, javascript: ...).
  .refine((v) => !URL.canParse(v) || isHttpUrl(v), 'must be an absolute http(s) URL');

/** Whether a hook URL can be delivered to at all (absolute http(s) with a host). */
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Names and values are checked by `headerProblem` in the service (422 naming the header). */
export const hookHeaders = z
  .record(z.string().max(256), z.string().max(4096))
  .refine((h) => Object.keys(h).length <= 50, 'at most 50 headers');

/** Logto's HookConfig. `retries` is accepted for compatibility and ignored (Sigil retries by policy). */
export const hookConfig = z.object({
  url: hookUrl,
  headers: hookHeaders.optional(),
  retries: z.number().int().min(0).max(3).optional(),
});
export type HookConfig = z.infer<typeof hookConfig>;

export const hookCreate = z.object({
  /** Logto: optional (stored as ''), but not empty when given. */
  name: z.string().trim().min(1).max(256).default(''),
  events: hookEvents.optional(),
  /** Logto's deprecated single event: stored as `event`, and it subscribes the hook like an `events` entry. */
  event: hookEvent.optional(),
  config: hookConfig,
  enabled: z.boolean().optional(),
});
export type HookCreate = z.infer<typeof hookCreate>;

export const hookPatch = z
  .object({
    name: z.string().trim().min(1).max(256),
    events: hookEvents,
    event: hookEvent.nullable(),
    config: hookConfig,
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type HookPatch = z.infer<typeof hookPatch>;

export const hookResponse = z.object({
  id,
  name: z.string(),
  /** Logto's deprecated single-event field, as saved (null unless given). */
  event: z.string().nullable(),
  events: z.array(z.string()),
  /** As Logto, the hook's responses carry its signing key: receivers need it to verify signatures. */
  signingKey: z.string(),
  enabled: z.boolean(),
  config: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), retries: z.number().int().optional() }),
  createdAt: epochMs,
  executionStats: executionStats.optional(),
});
export type HookResponse = z.infer<typeof hookResponse>;

/** Logto parses `includeExecutionStats` with `yes()`: true, 1, yes, y (any case). */
export const includeExecutionStats = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['true', '1', 'yes', 'y'].includes(v.toLowerCase()));

/** Logto's `/hooks` pagination is optional: without `page` the whole list is returned. */
export const hookListQuery = z.object({
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
  includeExecutionStats,
});

export const hookTestBody = z.object({ events: hookEvents, config: hookConfig });
export type HookTestBody = z.infer<typeof hookTestBody>;

export const hookTestResult = z.object({
  event: z.string(),
  result: z.enum(['Success', 'Error']),
  /** The receiver's answer; absent when no response arrived (see `error`). */
  response: z.object({ statusCode: z.number().int(), body: z.unknown() }).optional(),
  error: z.string().optional(),
  durationMs: z.number().int(),
});
export const hookTestResponse = z.object({ results: z.array(hookTestResult) });

export const DELIVERY_STATUSES = ['Pending', 'Delivered', 'Dead'] as const;

export const deliveryResponse = z.object({
  id,
  hookId: id,
  /** Stable per event, sent as `sigil-event-id`; every hook's delivery of one event shares it. */
  eventId: z.string(),
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: epochMs.nullable().describe('When the next attempt is due (Pending only)'),
  /** True while a dispatcher holds the row (a request may be in flight). */
  inFlight: z.boolean(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastResponse: z.string().nullable(),
  deliveredAt: epochMs.nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
export type DeliveryResponse = z.infer<typeof deliveryResponse>;

export const deliveryDetail = deliveryResponse.extend({ payload: z.record(z.string(), z.unknown()) });

export const deliveryListQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  event: z.string().max(128).optional(),
});
