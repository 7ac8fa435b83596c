// Refresh tokens (RFC 6749 §6): 256 random bits stored as a keyed hash. Rotation consumes a token and
// creates its successor in one transaction; the chain from one code exchange is a family.
//
// Reuse: presenting a consumed token outside the grace window revokes the whole grant (the token leaked,
// or the client is broken: either way no token of that authorization is trusted any more, RFC 9700
// §4.14.2). Inside the window (a few seconds) a concurrent refresh of the same token gets the same
// successor instead: Logto's SDKs refresh several resources at once with one token (logto-io/js#503,
// #527). The successor's value is a keyed digest of its predecessor's, so it can be handed out again
// without storing it: only someone holding the predecessor can compute it, and only this server's key.
import { db } from '../../db/index.ts';
import { dateOf, hotSqlite, jsonOf, optionalDateOf } from '../../db/sqlite-hot.ts';
import { randomId, randomToken } from '../crypto.ts';
import { secretHash } from '../instance-key.ts';
import { keyedDigest } from './keys.ts';
import { revokeGrant } from './grants.ts';
import { revocation } from '../transaction.ts';

export const REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 3600;
export const REUSE_GRACE_MS = 5_000;

export type StoredRefreshToken = {
  id: string;
  grantId: string;
  familyId: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  resources: string[];
  authTime: Date;
  expiresAt: Date;
  createdAt: Date;
  consumedAt: Date | null;
  successorId: string | null;
  revokedAt: Date | null;
  grant: { revokedAt: Date | null; expiresAt: Date };
};

export type RefreshTokenInput = {
  grantId: string;
  familyId: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  resources: string[];
  authTime: Date;
  /** Never later than the grant's own expiry. */
  expiresAt: Date;
};

function rowData(input: RefreshTokenInput, id: string, tokenHash: string) {
  return { id, tokenHash, ...input, scopes: input.scopes.join(' ') };
}

/** The row of a new refresh token and the value the client gets; the caller stores the row (consumeCode). */
export async function newRefreshToken(input: RefreshTokenInput): Promise<{ id: string; value: string; row: RefreshTokenRow }> {
  const value = randomToken();
  const id = randomId();
  // createdAt is set here: SQLite's column default (CURRENT_TIMESTAMP) is text, not the milliseconds Prisma writes.
  return { id, value, row: { ...rowData(input, id, await secretHash(value)), createdAt: new Date() } };
}

export type RefreshTokenRow = ReturnType<typeof rowData> & { createdAt: Date };

const FIND_SQL = `SELECT t.*, g."revokedAt" AS "grantRevokedAt", g."expiresAt" AS "grantExpiresAt"
  FROM "RefreshToken" t JOIN "Grant" g ON g."id" = t."grantId" WHERE t."tokenHash" = ?`;

const listOf = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

function fromSqlite(r: Record<string, unknown>): StoredRefreshToken {
  return {
    id: String(r.id), grantId: String(r.grantId), familyId: String(r.familyId), applicationId: String(r.applicationId), userId: String(r.userId),
    scopes: String(r.scopes).split(' ').filter(Boolean),
    resources: listOf(jsonOf(r.resources)),
    authTime: dateOf(r.authTime), expiresAt: dateOf(r.expiresAt), createdAt: dateOf(r.createdAt),
    consumedAt: optionalDateOf(r.consumedAt), successorId: r.successorId === null ? null : String(r.successorId), revokedAt: optionalDateOf(r.revokedAt),
    grant: { revokedAt: optionalDateOf(r.grantRevokedAt), expiresAt: dateOf(r.grantExpiresAt) },
  };
}

export async function findRefreshToken(value: string): Promise<StoredRefreshToken | null> {
  if (!/^[\w-]{20,128}$/.test(value)) return null;
  const tokenHash = await secretHash(value);
  const hot = hotSqlite();
  if (hot) {
    const row = hot.get<Record<string, unknown>>(FIND_SQL, [tokenHash]);
    return row ? fromSqlite(row) : null;
  }
  const row = await db().refreshToken.findUnique({
    where: { tokenHash },
    include: { grant: { select: { revokedAt: true, expiresAt: true } } },
  });
  if (!row) return null;
  return { ...row, scopes: row.scopes.split(' ').filter(Boolean), resources: listOf(row.resources) };
}

const successorValue = (presented: string) => keyedDigest('refresh-successor', presented);

export type Rotation =
  | { ok: true; id: string; value: string; reused: boolean }
  | { ok: false; reason: 'reused' };

/**
 * Rotate `token` (presented as `presented`): consume it and create its successor with `next` lifetime.
 * A token already consumed within the grace window yields the same successor; later, the grant is revoked.
 */
export async function rotateRefreshToken(token: StoredRefreshToken, presented: string, next: { expiresAt: Date }, now = new Date()): Promise<Rotation> {
  const value = await successorValue(presented);
  const id = randomId();
  const won = await db().$transaction(async (tx) => {
    const { count } = await tx.refreshToken.updateMany({
      where: { id: token.id, consumedAt: null, revokedAt: null },
      data: { consumedAt: now, successorId: id },
    });
    if (count === 0) return false;
    await tx.refreshToken.create({
      data: rowData({
        grantId: token.grantId, familyId: token.familyId, applicationId: token.applicationId, userId: token.userId,
        scopes: token.scopes, resources: token.resources, authTime: token.authTime, expiresAt: next.expiresAt,
      }, id, await secretHash(value)),
    });
    return true;
  });
  if (won) return { ok: true, id, value, reused: false };
  return presentedAgain(token, presented, now);
}

/** A consumed token presented again: the same successor inside the grace window, else the grant is revoked. */
export async function presentedAgain(token: Pick<StoredRefreshToken, 'id'>, presented: string, now = new Date()): Promise<Rotation> {
  const successor = await successorValue(presented);
  const tokenId = token.id;
  const row = await db().refreshToken.findUnique({ where: { id: tokenId } });
  if (row?.consumedAt && row.successorId && !row.revokedAt && now.getTime() - row.consumedAt.getTime() <= REUSE_GRACE_MS) {
    const next = await db().refreshToken.findUnique({ where: { id: row.successorId } });
    if (next && !next.revokedAt && next.tokenHash === (await secretHash(successor))) {
      return { ok: true, id: next.id, value: successor, reused: true };
    }
  }
  if (row) await revokeGrant(row.grantId);
  return { ok: false, reason: 'reused' };
}

/** RFC 7009 for refresh tokens: the family (this token, its chain) and the family's opaque access tokens. */
export async function revokeFamily(familyId: string): Promise<void> {
  const now = new Date();
  await revocation(async (tx) => {
    await tx.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
    await tx.opaqueToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  });
}
