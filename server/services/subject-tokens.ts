// Subject tokens: short-lived, single-use credentials that let a trusted app act as a user through the
// token exchange grant (RFC 8693). Logto's shape (`sub_` prefix, 600 s, `{ subjectToken, expiresIn }`),
// with 256 random bits instead of 21 characters, and only a keyed hash stored (like app secrets).
import { db, type Tx } from '../db/index.ts';
import type { SubjectTokenCreate, SubjectTokenResponse } from '../schemas/subject-tokens.ts';
import type { Actor } from './actor.ts';
import { randomId, randomToken } from './crypto.ts';
import { notFound, unprocessable } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { secretHash } from './instance-key.ts';
import { assertWithinCaller } from './privilege.ts';
import { dataChange } from './transaction.ts';
import { log } from '../log.ts';

export const SUBJECT_TOKEN_PREFIX = 'sub_';
/** Logto's `subjectTokenExpiresIn`. */
export const SUBJECT_TOKEN_TTL_SECONDS = 600;

/** `sub_` + 43 base64url characters; anything else cannot be one of ours and is rejected before hashing. */
const SHAPE = /^sub_[\w-]{16,128}$/;

export type SubjectTokenRow = { id: string; userId: string; requestedBy: string | null; context: Record<string, unknown>; expiresAt: Date };

export type IssuedSubjectToken = SubjectTokenResponse & { id: string; expiresAt: number };

/**
 * Issue a subject token for `userId`. The actor is who asked: the calling M2M app (Management API) or an
 * administrator (console). The value is returned once; the audit record and webhook payload carry the
 * token's id, never its value.
 */
export async function issueSubjectToken(actor: Actor, input: SubjectTokenCreate, now = Date.now()): Promise<IssuedSubjectToken> {
  const value = `${SUBJECT_TOKEN_PREFIX}${randomToken(32)}`;
  const tokenHash = await secretHash(value);
  return dataChange(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, isSuspended: true } });
    if (!user) throw notFound('user', input.userId);
    if (user.isSuspended) throw unprocessable('user.suspended', 'This user is suspended: a subject token cannot be issued for it.', 'userId');
    // Impersonating is acting as the user: only for callers holding what the user holds.
    await assertWithinCaller(tx, actor, [{ type: 'user', id: user.id }]);
    const row = await tx.subjectToken.create({
      data: {
        id: randomId(),
        tokenHash,
        userId: user.id,
        requestedBy: actor.type === 'application' ? actor.id : null,
        context: (input.context ?? {}) as object,
        expiresAt: new Date(now + SUBJECT_TOKEN_TTL_SECONDS * 1000),
      },
    });
    const after = {
      id: row.id,
      userId: row.userId,
      requestedBy: row.requestedBy,
      context: row.context,
      expiresAt: row.expiresAt.getTime(),
    };
    await emitDataEvent(tx, actor, { event: 'User.SubjectToken.Created', entity: 'SubjectToken', entityId: row.id, after, userId: row.userId });
    return { subjectToken: value, expiresIn: SUBJECT_TOKEN_TTL_SECONDS, id: row.id, expiresAt: row.expiresAt.getTime() };
  });
}

export type SubjectTokenLookup =
  | { ok: true; tokenHash: string; token: SubjectTokenRow }
  | { ok: false; reason: 'unknown' | 'expired' | 'consumed' | 'suspended'; userId?: string };

/**
 * Read-only check of a presented subject token, so a bad request burns nothing. It decides nothing by
 * itself: `consumeSubjectToken` is the atomic step that makes one exchange the winner.
 */
export async function lookupSubjectToken(value: string, now = Date.now()): Promise<SubjectTokenLookup> {
  if (!SHAPE.test(value)) return { ok: false, reason: 'unknown' };
  const tokenHash = await secretHash(value);
  const row = await db().subjectToken.findUnique({ where: { tokenHash }, include: { user: { select: { isSuspended: true } } } });
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.consumedAt) return { ok: false, reason: 'consumed', userId: row.userId };
  if (row.expiresAt.getTime() <= now) return { ok: false, reason: 'expired', userId: row.userId };
  if (row.user.isSuspended) return { ok: false, reason: 'suspended', userId: row.userId };
  return {
    ok: true,
    tokenHash,
    token: { id: row.id, userId: row.userId, requestedBy: row.requestedBy, context: (row.context ?? {}) as Record<string, unknown>, expiresAt: row.expiresAt },
  };
}

/**
 * Mark the token used, atomically: one conditional UPDATE, so of any number of concurrent exchanges exactly
 * one sees a count of 1 (on PostgreSQL the losers block on the row lock, then re-check the condition and
 * match nothing; SQLite serialises writers). A user suspended meanwhile matches nothing either.
 */
export async function consumeSubjectToken(tx: Tx, tokenHash: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.subjectToken.updateMany({
    where: { tokenHash, consumedAt: null, expiresAt: { gt: now }, user: { isSuspended: false } },
    data: { consumedAt: now },
  });
  return count === 1;
}

const DAY_MS = 86_400_000;

/**
 * Subject tokens are dead ten minutes after issue at the latest; their rows are deleted a day after expiry
 * (the audit log keeps who issued which for whom, and the exchange). One short statement per run.
 */
export async function pruneSubjectTokens(now = Date.now()): Promise<number> {
  const { count } = await db().subjectToken.deleteMany({ where: { expiresAt: { lt: new Date(now - DAY_MS) } } });
  return count;
}

/** The self-hosted process prunes hourly. Returns its stop function. */
export function startSubjectTokenSweep(intervalMs = 3600_000): () => void {
  const every = setInterval(() => {
    pruneSubjectTokens().catch((error: unknown) => {
      log.warn({ err: error }, 'subject token pruning failed');
    });
  }, intervalMs);
  every.unref();
  return () => clearInterval(every);
}
