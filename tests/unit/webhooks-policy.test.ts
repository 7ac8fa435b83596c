// The retry table and the signatures, as pure functions.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../server/env.ts';
import { backoffMs, decide, parseRetryAfter } from '../../server/services/webhooks/policy.ts';
import { logtoSignature, sigilSignature, verifySigilSignature } from '../../server/services/webhooks/signature.ts';
import { newSigningKey } from '../../server/services/webhooks/signing-key.ts';
import { HOOK_EVENTS, tokenEventFor } from '../../server/services/events/catalog.ts';

// SIGIL_SECRET keeps loadEnv from creating a development secret on disk.
const load = (vars: Record<string, string>) => loadEnv({ SIGIL_SECRET: 'x'.repeat(32), ...vars } as unknown as NodeJS.ProcessEnv).webhooks;
const config = load({});
const mid = () => 0.5; // jitter factor 1.0

describe('delivery policy', () => {
  it('uses the documented defaults', () => {
    expect(config).toMatchObject({ timeoutMs: 10_000, backoffBaseMs: 5_000, maxAttempts: 15, leaseMs: 15_000 });
  });

  it('marks 2xx delivered', () => {
    for (const status of [200, 201, 204, 299]) expect(decide({ kind: 'response', status }, 1, config)).toEqual({ next: 'Delivered' });
  });

  it('retries network errors, timeouts, 408, 429 and 5xx with exponential backoff', () => {
    const transient = [
      { kind: 'error', code: 'network', message: 'ECONNREFUSED' },
      { kind: 'error', code: 'timeout', message: 'timed out' },
      { kind: 'response', status: 408 },
      { kind: 'response', status: 429 },
      { kind: 'response', status: 500 },
      { kind: 'response', status: 503 },
    ] as const;
    for (const outcome of transient) {
      expect(decide(outcome, 1, config, { random: mid })).toEqual({ next: 'Retry', delayMs: 5_000 });
      expect(decide(outcome, 4, config, { random: mid })).toEqual({ next: 'Retry', delayMs: 40_000 });
    }
  });

  it('gives up after the attempt budget', () => {
    expect(decide({ kind: 'response', status: 500 }, 15, config)).toEqual({ next: 'Dead', reason: 'Gave up after 15 attempts.' });
    expect(decide({ kind: 'response', status: 500 }, 14, config).next).toBe('Retry');
  });

  it('dead-letters other 4xx, 3xx and refused destinations at once', () => {
    for (const status of [400, 401, 403, 404, 410, 422, 301, 302]) {
      expect(decide({ kind: 'response', status }, 1, config)).toEqual({ next: 'Dead', reason: `The endpoint answered ${status}; only 408, 429 and 5xx are retried.` });
    }
    expect(decide({ kind: 'error', code: 'blocked_address', message: 'Requests to loopback address 127.0.0.1 are not allowed' }, 1, config))
      .toEqual({ next: 'Dead', reason: 'Requests to loopback address 127.0.0.1 are not allowed' });
    expect(decide({ kind: 'error', code: 'invalid_url', message: 'bad' }, 1, config).next).toBe('Dead');
  });

  it('honours Retry-After (seconds or date), capped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(decide({ kind: 'response', status: 429, retryAfter: '7' }, 1, config)).toEqual({ next: 'Retry', delayMs: 7_000 });
    expect(decide({ kind: 'response', status: 503, retryAfter: 'Thu, 01 Jan 2026 00:01:00 GMT' }, 1, config, { now })).toEqual({ next: 'Retry', delayMs: 60_000 });
    expect(decide({ kind: 'response', status: 429, retryAfter: String(10 * 86_400) }, 1, config)).toEqual({ next: 'Retry', delayMs: 12 * 3600_000 });
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('spans about a day over the budget, with jitter within ±25 %', () => {
    let total = 0;
    for (let attempt = 1; attempt < config.maxAttempts; attempt++) total += backoffMs(attempt, config, mid);
    expect(total / 3600_000).toBeGreaterThan(20);
    expect(total / 3600_000).toBeLessThan(26);
    expect(backoffMs(1, config, () => 0)).toBe(3_750);
    expect(backoffMs(1, config, () => 0.999999)).toBe(6_250);
  });

  it('refuses bad configuration naming the variable', () => {
    expect(() => load({ SIGIL_WEBHOOK_TIMEOUT_MS: 'soon' })).toThrow(/SIGIL_WEBHOOK_TIMEOUT_MS/);
    expect(load({ SIGIL_WEBHOOK_TIMEOUT_MS: '1500', SIGIL_WEBHOOK_BACKOFF_MS: '20' })).toMatchObject({ timeoutMs: 1500, backoffBaseMs: 20, leaseMs: 6500 });
  });
});

describe('signatures', () => {
  const key = newSigningKey();
  const body = JSON.stringify({ hookId: 'h', event: 'Role.Created', data: { name: 'ü' } });

  it('makes Logto-shaped 32-character keys', () => {
    expect(key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newSigningKey()).not.toBe(key);
  });

  it("signs Logto's header as hex HMAC-SHA256 of the raw body", () => {
    expect(logtoSignature(key, body)).toBe(createHmac('sha256', key).update(body).digest('hex'));
  });

  it('signs the timestamp with the body and verifies it within the tolerance only', () => {
    const t = 1_700_000_000;
    const header = sigilSignature(key, body, t);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`);
    expect(verifySigilSignature(key, body, header, { now: t * 1000 + 60_000 })).toEqual({ ok: true, timestamp: t });
    expect(verifySigilSignature(key, body, header, { now: t * 1000 + 301_000 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifySigilSignature(key, `${body} `, header, { now: t * 1000 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySigilSignature('other-key', body, header, { now: t * 1000 })).toEqual({ ok: false, reason: 'mismatch' });
    // A replayed body under a fresh t does not verify: t is inside the MAC.
    expect(verifySigilSignature(key, body, header.replace(`t=${t}`, `t=${t + 100}`), { now: t * 1000 })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySigilSignature(key, body, 'v1=abc', {})).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('event catalog', () => {
  it("has Logto's data hook names and Sigil's token events, each described", () => {
    for (const e of ['User.Created', 'User.Deleted', 'User.Data.Updated', 'User.SuspensionStatus.Updated', 'Role.Created', 'Role.Deleted', 'Role.Data.Updated', 'Role.Scopes.Updated', 'Scope.Created', 'Scope.Deleted', 'Scope.Data.Updated', 'Token.Issued', 'Token.Revoked']) {
      expect(HOOK_EVENTS[e as keyof typeof HOOK_EVENTS]).toMatch(/\.$/);
    }
  });

  it('maps token audit records to token events', () => {
    expect(tokenEventFor('ExchangeTokenBy.ClientCredentials', 'Success', {})).toBe('Token.Issued');
    expect(tokenEventFor('ExchangeTokenBy.TokenExchange', 'Error', {})).toBe('Token.IssuanceFailed');
    expect(tokenEventFor('RevokeToken', 'Success', { tokenId: 'j' })).toBe('Token.Revoked');
    expect(tokenEventFor('RevokeToken', 'Success', {})).toBeNull();
    expect(tokenEventFor('Role.Created', 'Success', {})).toBeNull();
  });
});
