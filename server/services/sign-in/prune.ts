// Sign-in records past their use are deleted a day after they ended (the audit log keeps what happened):
// interactions and codes (minutes-long), sessions, grants (with their codes and refresh tokens) and refresh
// tokens that expired or were revoked. One short statement per table per run, hourly (self-hosted) or from
// the cron route (Vercel).
import { db } from '../../db/index.ts';

const DAY_MS = 86_400_000;

export type SignInPruneResult = { interactions: number; codes: number; sessions: number; grants: number; refreshTokens: number };

export async function pruneSignInRecords(now = Date.now()): Promise<SignInPruneResult> {
  const before = new Date(now - DAY_MS);
  const ended = { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] };
  const interactions = (await db().interaction.deleteMany({ where: { expiresAt: { lt: before } } })).count;
  const codes = (await db().authorizationCode.deleteMany({ where: { expiresAt: { lt: before } } })).count;
  const sessions = (await db().session.deleteMany({ where: ended })).count;
  const grants = (await db().grant.deleteMany({ where: ended })).count;
  const refreshTokens = (await db().refreshToken.deleteMany({ where: ended })).count;
  return { interactions, codes, sessions, grants, refreshTokens };
}

/** The self-hosted process prunes hourly. Returns its stop function. */
export function startSignInSweep(intervalMs = 3600_000): () => void {
  const every = setInterval(() => {
    pruneSignInRecords().catch((error: unknown) => {
      if (process.env.SIGIL_LOG_LEVEL !== 'silent') console.warn('[sigil] sign-in record pruning failed', error);
    });
  }, intervalMs);
  every.unref();
  return () => clearInterval(every);
}
