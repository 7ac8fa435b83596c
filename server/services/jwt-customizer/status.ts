// What the console and the GET of a configuration show about its circuit breaker (breaker.ts). The
// breaker decides per process, in memory; the console runs in another module graph (Next) or process,
// and a deployment may have several instances. So the status is read from the shared truth: the newest
// JwtCustomizer.Tripped / JwtCustomizer.Recovered audit record of the token type since the
// configuration was last saved (saving resets the breaker).
import { db } from '../../db/index.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import { BREAKER_AUDIT_KEYS } from './breaker.ts';

export type BreakerStatus = {
  /** `open`: not run until retryAt; `trial`: the cool-down is over and the next token request decides. */
  state: 'open' | 'trial';
  reason: string;
  /** Epoch milliseconds. */
  trippedAt: number;
  retryAt: number;
};

/** The breaker of the configuration saved at `savedAt`, when it is tripped; null when it runs normally. */
export async function breakerStatus(tokenType: JwtCustomizerTokenType, savedAt: Date, now = Date.now()): Promise<BreakerStatus | null> {
  const rows = await db().auditLog.findMany({
    where: { key: { in: [BREAKER_AUDIT_KEYS.tripped, BREAKER_AUDIT_KEYS.recovered] }, createdAt: { gte: savedAt } },
    orderBy: { createdAt: 'desc' },
    take: 20,
    select: { key: true, payload: true, createdAt: true },
  });
  const latest = rows.find((r) => (r.payload as { tokenType?: unknown }).tokenType === tokenType);
  if (!latest || latest.key !== BREAKER_AUDIT_KEYS.tripped) return null;
  const payload = latest.payload as { reason?: unknown; retryAt?: unknown };
  const retryAt = typeof payload.retryAt === 'string' ? Date.parse(payload.retryAt) : NaN;
  if (!Number.isFinite(retryAt)) return null;
  return { state: now < retryAt ? 'open' : 'trial', reason: String(payload.reason ?? 'timed out repeatedly'), trippedAt: latest.createdAt.getTime(), retryAt };
}
