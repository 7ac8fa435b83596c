// What happens after a delivery attempt. Pure, so the whole table is unit-tested:
// - 2xx: Delivered.
// - Network errors, timeouts, 408, 429 and 5xx: transient; retry with exponential backoff and jitter
//   (429/503 `Retry-After` honoured, capped) until the attempt budget is spent, then Dead.
// - Any other status (3xx: redirects are not followed, so the URL is wrong; 4xx: the receiver refuses the
//   request as such): retrying cannot help, Dead at once. Manual redelivery is the way back.
// - Refused destinations (private address with SIGIL_ALLOW_PRIVATE_OUTBOUND off, bad URL): Dead at once.
// - A request that cannot even be written (a saved header Node's http refuses): Dead at once, with why.
import type { OutboundErrorCode } from '../outbound/index.ts';
import type { WebhookConfig } from '../../env.ts';

export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'error'; code: OutboundErrorCode; message: string }
  /** Nothing was sent and nothing ever will be: the request itself is malformed. */
  | { kind: 'unsendable'; message: string };

export type Decision =
  | { next: 'Delivered' }
  | { next: 'Retry'; delayMs: number }
  | { next: 'Dead'; reason: string };

const RETRYABLE_ERRORS: ReadonlySet<OutboundErrorCode> = new Set(['timeout', 'network', 'too_large']);

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Delay before attempt `attempt + 1`: base x 2^(attempt-1), capped, times a jitter in [0.75, 1.25). */
export function backoffMs(attempt: number, config: Pick<WebhookConfig, 'backoffBaseMs' | 'maxDelayMs'>, random = Math.random): number {
  const exp = Math.min(config.maxDelayMs, config.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.75 + random() * 0.5));
}

/** `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function decide(
  outcome: AttemptOutcome,
  attempt: number,
  config: Pick<WebhookConfig, 'backoffBaseMs' | 'maxDelayMs' | 'maxAttempts'>,
  options: { now?: number; random?: () => number } = {},
): Decision {
  if (outcome.kind === 'response') {
    if (outcome.status >= 200 && outcome.status <= 299) return { next: 'Delivered' };
    if (!isRetryableStatus(outcome.status)) {
      return { next: 'Dead', reason: `The endpoint answered ${outcome.status}; only 408, 429 and 5xx are retried.` };
    }
  } else if (outcome.kind === 'unsendable' || !RETRYABLE_ERRORS.has(outcome.code)) {
    return { next: 'Dead', reason: outcome.message };
  }
  if (attempt >= config.maxAttempts) return { next: 'Dead', reason: `Gave up after ${attempt} attempts.` };
  const retryAfter = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, options.now) : undefined;
  const delayMs = retryAfter !== undefined ? Math.min(retryAfter, config.maxDelayMs) : backoffMs(attempt, config, options.random);
  return { next: 'Retry', delayMs };
}
