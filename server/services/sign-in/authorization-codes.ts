// Authorization codes (RFC 6749 §4.1.2): 256 random bits, stored as a keyed hash, valid 60 s, consumed by
// one conditional update so two concurrent exchanges cannot both win. A replayed code is refused and
// revokes what its first exchange issued (RFC 6749 §4.1.2: "SHOULD revoke ... all tokens previously
// issued based on that authorization code"): the refresh-token family it started and its access token.
import { db, type Tx } from '../../db/index.ts';
import { boolOf, dateOf, hotSqlite, insertStatement, jsonOf, optionalDateOf, param } from '../../db/sqlite-hot.ts';
import type { RefreshTokenRow } from './refresh-tokens.ts';
import { randomId, randomToken } from '../crypto.ts';
import { secretHash } from '../instance-key.ts';
import { revocation } from '../transaction.ts';

export const CODE_TTL_SECONDS = 60;

export type CodeInput = {
  applicationId: string;
  userId: string;
  grantId: string;
  sessionId: string | null;
  redirectUri: string;
  codeChallenge: string | null;
  scopes: string[];
  resources: string[];
  nonce: string | null;
  authTime: Date;
  offlineAccess: boolean;
  /** organization_id of the authorization request (the exchange issues an organization token). */
  organizationId: string | null;
};

export type StoredCode = CodeInput & {
  id: string;
  expiresAt: Date;
  consumedAt: Date | null;
  /** The grant the code hangs off, as it stands now (revoked or expired: the code is worthless). */
  grant: { revokedAt: Date | null; expiresAt: Date };
};

/** What an exchange issued, kept so that a replay can revoke it. */
export type IssuedByCode = { accessToken: { jti: string; format: 'jwt' | 'opaque'; exp: number } };

export async function createCode(tx: Tx, input: CodeInput, now = new Date()): Promise<string> {
  const value = randomToken();
  await tx.authorizationCode.create({
    data: {
      id: randomId(),
      codeHash: await secretHash(value),
      ...input,
      scopes: input.scopes.join(' '),
      expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
    },
  });
  return value;
}

type CodeRow = Omit<StoredCode, 'scopes' | 'resources'> & { scopes: string; resources: unknown };

const listOf = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
const toStored = (row: CodeRow): StoredCode => ({ ...row, scopes: row.scopes.split(' ').filter(Boolean), resources: listOf(row.resources) });

const FIND_SQL = `SELECT c.*, g."revokedAt" AS "grantRevokedAt", g."expiresAt" AS "grantExpiresAt"
  FROM "AuthorizationCode" c JOIN "Grant" g ON g."id" = c."grantId" WHERE c."codeHash" = ?`;

function fromSqlite(r: Record<string, unknown>): CodeRow {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id), applicationId: String(r.applicationId), userId: String(r.userId), grantId: String(r.grantId),
    sessionId: text(r.sessionId), redirectUri: String(r.redirectUri), codeChallenge: text(r.codeChallenge),
    scopes: String(r.scopes), resources: jsonOf(r.resources), nonce: text(r.nonce), authTime: dateOf(r.authTime),
    offlineAccess: boolOf(r.offlineAccess), organizationId: text(r.organizationId),
    expiresAt: dateOf(r.expiresAt), consumedAt: optionalDateOf(r.consumedAt),
    grant: { revokedAt: optionalDateOf(r.grantRevokedAt), expiresAt: dateOf(r.grantExpiresAt) },
  };
}

export async function findCode(value: string): Promise<StoredCode | null> {
  if (!/^[\w-]{20,128}$/.test(value)) return null;
  const codeHash = await secretHash(value);
  const hot = hotSqlite();
  if (hot) {
    const row = hot.get<Record<string, unknown>>(FIND_SQL, [codeHash]);
    return row ? toStored(fromSqlite(row)) : null;
  }
  const row = await db().authorizationCode.findUnique({
    where: { codeHash },
    omit: { codeHash: true, issued: true, createdAt: true },
    include: { grant: { select: { revokedAt: true, expiresAt: true } } },
  });
  return row ? toStored(row) : null;
}

/**
 * Single use: true for exactly one caller, and only while the code is unexpired. In the same transaction: what
 * the exchange is about to issue (for a replay to revoke) and its refresh token, which so exists exactly when
 * this exchange spent the code, and is there for a replay that comes right after to revoke.
 */
export async function consumeCode(id: string, issued: IssuedByCode, refreshToken?: RefreshTokenRow, now = new Date()): Promise<boolean> {
  const hot = hotSqlite();
  if (hot) {
    return hot.runIfOne(
      { sql: 'UPDATE "AuthorizationCode" SET "consumedAt" = ?, "issued" = ? WHERE "id" = ? AND "consumedAt" IS NULL AND "expiresAt" > ?', params: [param(now), param(issued), id, param(now)] },
      refreshToken ? [insertStatement('RefreshToken', refreshToken)] : [],
    );
  }
  const consume = (tx: Pick<Tx, 'authorizationCode'>) =>
    tx.authorizationCode.updateMany({ where: { id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now, issued } });
  if (!refreshToken) return (await consume(db())).count === 1;
  return db().$transaction(async (tx) => {
    if ((await consume(tx)).count !== 1) return false;
    await tx.refreshToken.create({ data: refreshToken });
    return true;
  });
}

/**
 * A replay: revoke the refresh-token family the code started and the access token its exchange issued (read
 * here, in the revoking transaction, so an exchange that lost the race to consume the code revokes what the
 * winner recorded as it consumed it).
 */
export async function revokeIssuedByCode(codeId: string): Promise<void> {
  const now = new Date();
  await revocation(async (tx) => {
    await tx.refreshToken.updateMany({ where: { familyId: codeId, revokedAt: null }, data: { revokedAt: now } });
    await tx.opaqueToken.updateMany({ where: { familyId: codeId, revokedAt: null }, data: { revokedAt: now } });
    const row = await tx.authorizationCode.findUnique({ where: { id: codeId }, select: { issued: true } });
    const at = (row?.issued as IssuedByCode | null | undefined)?.accessToken;
    if (at?.format === 'jwt') {
      await tx.revokedToken.upsert({ where: { jti: at.jti }, create: { jti: at.jti, expiresAt: new Date(at.exp * 1000) }, update: {} });
    }
  });
}
