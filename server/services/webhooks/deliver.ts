// One delivery attempt: sign the exact body, POST it through the SSRF-safe client, record the outcome on
// the outbox row (only while this claim still holds the lease; outcomes.ts) and in the audit log as Logto's
// `TriggerHook.<event>` entry, which feeds `recent-logs` and the 24 h execution stats.
import { env } from '../../env.ts';
import { audit } from '../audit/index.ts';
import { isOutboundError, safeRequest } from '../outbound/index.ts';
import type { ClaimedDelivery } from './claim.ts';
import { recordOutcome, type OutcomeData } from './outcomes.ts';
import { headerProblem } from '../../schemas/hooks.ts';
import { decide, type AttemptOutcome } from './policy.ts';
import { ATTEMPT_HEADER, EVENT_ID_HEADER, LOGTO_SIGNATURE_HEADER, SIGIL_SIGNATURE_HEADER, logtoSignature, sigilSignature } from './signature.ts';
import { openSigningKey } from './signing-key.ts';

export type SendInput = {
  url: string;
  headers: Record<string, string>;
  signingKey: string;
  payload: unknown;
  eventId: string;
  attempt: number;
};

export type SendResult = {
  outcome: AttemptOutcome;
  /** The receiver's answer (absent when no response arrived). */
  response?: { statusCode: number; body: unknown };
  durationMs: number;
};

const USER_AGENT = 'Sigil (webhooks)';
const MAX_RESPONSE_BYTES = 256 * 1024;

export function blockedHint(message: string): string {
  return `${message}. Webhook URLs must reach a public address; set SIGIL_ALLOW_PRIVATE_OUTBOUND=true only for development.`;
}

/** Parse a receiver's body as JSON when it is JSON (as Logto's `parseResponse`), else keep text, truncated. */
function readBody(body: Buffer): unknown {
  const text = body.toString('utf8').slice(0, env().webhooks.keepResponseChars);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A custom header that cannot be sent (saved before headers were checked, or edited in the database). */
function unsendableHeader(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerProblem(name, String(value));
    if (problem) return `Custom header ${JSON.stringify(name)} ${problem}; fix the webhook's headers, then redeliver.`;
  }
  return undefined;
}

/** Node's http refuses to write such a request (its own validation), whatever the destination. */
const NODE_REFUSALS = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_UNESCAPED_CHARACTERS']);

export async function sendSigned(input: SendInput): Promise<SendResult> {
  const unsendable = unsendableHeader(input.headers);
  if (unsendable) return { outcome: { kind: 'unsendable', message: unsendable }, durationMs: 0 };
  const rawBody = JSON.stringify(input.payload);
  const t = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    ...input.headers,
    'content-type': 'application/json',
    [LOGTO_SIGNATURE_HEADER]: logtoSignature(input.signingKey, rawBody),
    [SIGIL_SIGNATURE_HEADER]: sigilSignature(input.signingKey, rawBody, t),
    [EVENT_ID_HEADER]: input.eventId,
    [ATTEMPT_HEADER]: String(input.attempt),
  };
  const started = Date.now();
  try {
    const res = await safeRequest({
      url: input.url,
      method: 'POST',
      headers,
      body: rawBody,
      timeoutMs: env().webhooks.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      allowPrivateNetworks: env().allowPrivateOutbound,
    });
    return {
      outcome: { kind: 'response', status: res.status, retryAfter: res.headers['retry-after'] },
      response: { statusCode: res.status, body: readBody(res.body) },
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NODE_REFUSALS.has(code)) {
      return { outcome: { kind: 'unsendable', message: `The request cannot be sent: ${(error as Error).message}` }, durationMs: Date.now() - started };
    }
    if (!isOutboundError(error)) throw error;
    const message = error.code === 'blocked_address' ? blockedHint(error.message) : error.message;
    return { outcome: { kind: 'error', code: error.code, message }, durationMs: Date.now() - started };
  }
}

function describe(result: SendResult): string | null {
  if (result.outcome.kind !== 'response') return result.outcome.message;
  const { status } = result.outcome;
  return status >= 200 && status <= 299 ? null : `The endpoint answered ${status}.`;
}

export type AttemptStatus = 'Delivered' | 'Pending' | 'Dead';

/** Deliver one claimed row once; the row's lease owner is the claim. */
export async function deliverClaimed(row: ClaimedDelivery): Promise<AttemptStatus> {
  const owner = row.leaseOwner!;
  const attempt = row.attempts + 1;
  const signingKey = await openSigningKey(row.hook.id, row.hook.signingKey);
  const result = await sendSigned({
    url: row.hook.url,
    headers: (row.hook.headers ?? {}) as Record<string, string>,
    signingKey,
    payload: row.payload,
    eventId: row.eventId,
    attempt,
  });
  const config = env().webhooks;
  const decision = decide(result.outcome, attempt, config);
  const error = describe(result);
  const lastResponse = result.response === undefined ? null : truncate(typeof result.response.body === 'string' ? result.response.body : JSON.stringify(result.response.body), config.keepResponseChars);
  const common = { attempts: attempt, lastStatus: result.response?.statusCode ?? null, lastResponse };
  const data: OutcomeData =
    decision.next === 'Delivered'
      ? { ...common, status: 'Delivered', lastError: null }
      : decision.next === 'Retry'
        ? { ...common, status: 'Pending', nextAttemptAt: new Date(Date.now() + decision.delayMs), lastError: error }
        : { ...common, status: 'Dead', lastError: error && error !== decision.reason ? `${error} ${decision.reason}` : decision.reason };
  await Promise.all([
    recordOutcome(row.id, owner, data),
    audit({
      key: `TriggerHook.${row.event}`,
      result: decision.next === 'Delivered' ? 'Success' : 'Error',
      hookId: row.hookId,
      eventId: row.eventId,
      deliveryId: row.id,
      attempt,
      durationMs: result.durationMs,
      hookRequest: { body: row.payload },
      ...(result.response ? { response: result.response } : {}),
      ...(error ? { error } : {}),
    }),
  ]);
  return decision.next === 'Retry' ? 'Pending' : decision.next;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
