// Webhook signatures. Both are HMAC-SHA256 with the hook's signing key over the exact bytes sent:
// - `logto-signature-sha-256: <hex>` of the raw body, as Logto, so existing receivers keep working;
// - `sigil-signature: t=<unix seconds>,v1=<hex>` of `<t>.<raw body>`: the timestamp is signed too, so a
//   receiver that rejects old `t` values is safe against replay of a captured request.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const LOGTO_SIGNATURE_HEADER = 'logto-signature-sha-256';
export const SIGIL_SIGNATURE_HEADER = 'sigil-signature';
export const EVENT_ID_HEADER = 'sigil-event-id';
export const ATTEMPT_HEADER = 'sigil-delivery-attempt';

/** Headers a hook's custom `config.headers` may not set (the signature and delivery metadata are ours). */
export const RESERVED_HEADERS = new Set([
  LOGTO_SIGNATURE_HEADER, SIGIL_SIGNATURE_HEADER, EVENT_ID_HEADER, ATTEMPT_HEADER,
  'content-type', 'content-length', 'host', 'transfer-encoding', 'connection',
]);

const hmac = (key: string, data: string) => createHmac('sha256', key).update(data).digest('hex');

export function logtoSignature(signingKey: string, rawBody: string): string {
  return hmac(signingKey, rawBody);
}

export function sigilSignature(signingKey: string, rawBody: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(signingKey, `${unixSeconds}.${rawBody}`)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'mismatch' | 'expired' };

/**
 * What a receiver does (the README shows the same steps): parse `t` and `v1`, recompute the HMAC over
 * `<t>.<raw body>`, compare in constant time, and refuse timestamps older than `toleranceSeconds`.
 */
export function verifySigilSignature(signingKey: string, rawBody: string, header: string, options: { toleranceSeconds?: number; now?: number } = {}): VerifyResult {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(hmac(signingKey, `${t}.${rawBody}`), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return { ok: false, reason: 'mismatch' };
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: 'expired' };
  return { ok: true, timestamp: t };
}
