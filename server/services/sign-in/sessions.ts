// End-user sessions (single sign-on across apps). A sign-in always creates a new session with a new
// random value (no fixation); the cookie carries the value and its signature, the database only a keyed
// hash of the value. A session ends at its expiry (14 days), when revoked (sign-out, "sign out
// everywhere"), or when its user is suspended or deleted.
import { db, type Tx } from '../../db/index.ts';
import { randomId, randomToken } from '../crypto.ts';
import { secretHash } from '../instance-key.ts';
import { signCookie, verifyCookie } from './cookie-keys.ts';

export const SESSION_TTL_SECONDS = 14 * 24 * 3600;

export type LiveSession = { id: string; userId: string; authTime: Date; expiresAt: Date };
/** What the browser keeps: the value and its signature (cookies `_session` and `_session.sig`). */
export type SessionCookieValues = { value: string; signature: string; maxAgeSeconds: number };
export type NewSession = LiveSession & { cookie: SessionCookieValues };

const signatureOf = (value: string) => signCookie('_session', value);

/** Inside the sign-in transaction, so the session exists only if the sign-in committed. */
export async function createSession(tx: Tx, input: { userId: string; ip?: string | null; userAgent?: string | null; now?: Date }): Promise<NewSession> {
  const now = input.now ?? new Date();
  const value = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  const row = await tx.session.create({
    data: {
      id: randomId(),
      tokenHash: await secretHash(value),
      userId: input.userId,
      authTime: now,
      expiresAt,
      ip: input.ip?.slice(0, 64) ?? null,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    },
  });
  return {
    id: row.id, userId: row.userId, authTime: row.authTime, expiresAt,
    cookie: { value, signature: await signatureOf(value), maxAgeSeconds: SESSION_TTL_SECONDS },
  };
}

/** The live session the cookies stand for, or null (unsigned, unknown, expired, revoked, user suspended). */
export async function findSession(value: string | undefined, signature: string | undefined, now = new Date()): Promise<LiveSession | null> {
  if (!value || !/^[\w-]{43}$/.test(value)) return null;
  if (!(await verifyCookie('_session', value, signature))) return null;
  const row = await db().session.findUnique({ where: { tokenHash: await secretHash(value) }, include: { user: { select: { isSuspended: true } } } });
  if (!row || row.revokedAt || row.expiresAt <= now || row.user.isSuspended) return null;
  return { id: row.id, userId: row.userId, authTime: row.authTime, expiresAt: row.expiresAt };
}

export async function revokeSession(id: string): Promise<void> {
  await db().session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Everything a user holds from signing in: sessions, grants (and with them codes and refresh tokens) and the
 * opaque access tokens of those grants. Called in the transaction that suspends or deletes the user.
 */
export async function revokeUserSignIns(tx: Tx, userId: string): Promise<void> {
  const now = new Date();
  await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await tx.grant.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
}
