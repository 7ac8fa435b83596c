// Webhook delivery limits, in one place. The defaults are the product's; the variables exist so tests
// (and unusual deployments) can shorten them. Validated once, naming the bad variable like env().
import { z } from 'zod';
import { ConfigError } from '../../env.ts';

const schema = z.object({
  /** Per request: DNS + connect + response. Logto uses 10 s too. */
  SIGIL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** First retry delay; doubles per attempt (with jitter). 5 s x 2^n over 15 attempts spans about a day. */
  SIGIL_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  SIGIL_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(15),
  /** Deliveries in flight per process. */
  SIGIL_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
});

export type WebhookConfig = {
  timeoutMs: number;
  backoffBaseMs: number;
  maxAttempts: number;
  concurrency: number;
  /** A claim outlives the request it covers; after it expires another dispatcher may take the row. */
  leaseMs: number;
  /** Longest single backoff (also caps Retry-After). */
  maxDelayMs: number;
  /** Poll interval of the in-process dispatcher. */
  pollMs: number;
  /** Response body kept on the delivery row and in the log entry. */
  keepResponseChars: number;
};

const KEY = Symbol.for('sigil.webhook-config');

export function webhookConfig(): WebhookConfig {
  const g = globalThis as { [KEY]?: WebhookConfig };
  return (g[KEY] ??= load(process.env));
}

export function load(source: NodeJS.ProcessEnv): WebhookConfig {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  return {
    timeoutMs: v.SIGIL_WEBHOOK_TIMEOUT_MS,
    backoffBaseMs: v.SIGIL_WEBHOOK_BACKOFF_MS,
    maxAttempts: v.SIGIL_WEBHOOK_MAX_ATTEMPTS,
    concurrency: v.SIGIL_WEBHOOK_CONCURRENCY,
    leaseMs: v.SIGIL_WEBHOOK_TIMEOUT_MS + 5_000,
    maxDelayMs: 12 * 3600_000,
    pollMs: 250,
    keepResponseChars: 2048,
  };
}
