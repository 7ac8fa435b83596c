// Authorization codes (RFC 6749 §4.1.2): 256 random bits, stored as a keyed hash, valid 60 s, consumed by
// one conditional update so two concurrent exchanges cannot both win. A replayed code is refused and
// revokes what its first exchange issued (RFC 6749 §4.1.2: "SHOULD revoke ... all tokens previously
// issued based on that authorization code"): the refresh-token family it started and its access token.
import { db, type Tx } from '../../db/index.ts';
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

export type StoredCode = CodeInput & { id: string; expiresAt: Date; consumedAt: Date | null; issued: IssuedByCode | null };

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

export async function findCode(value: string): Promise<StoredCode | null> {
  if (!/^[\w-]{20,128}$/.test(value)) return null;
  const row = await db().authorizationCode.findUnique({ where: { codeHash: await secretHash(value) } });
  if (!row) return null;
  return {
    id: row.id,
    applicationId: row.applicationId,
    userId: row.userId,
    grantId: row.grantId,
    sessionId: row.sessionId,
    redirectUri: row.redirectUri,
    codeChallenge: row.codeChallenge,
    scopes: row.scopes.split(' ').filter(Boolean),
    resources: Array.isArray(row.resources) ? (row.resources as string[]) : [],
    nonce: row.nonce,
    authTime: row.authTime,
    offlineAccess: row.offlineAccess,
    organizationId: row.organizationId,
    expiresAt: row.expiresAt,
    consumedAt: row.consumedAt,
    issued: (row.issued as IssuedByCode | null) ?? null,
  };
}

/** Single use: true for exactly one caller, and only while the code is unexpired. */
export async function consumeCode(id: string, now = new Date()): Promise<boolean> {
  const { count } = await db().authorizationCode.updateMany({ where: { id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  return count === 1;
}

export async function recordIssued(id: string, issued: IssuedByCode): Promise<void> {
  await db().authorizationCode.update({ where: { id }, data: { issued } });
}

/** A replay: revoke the refresh-token family the code started and the access token its exchange issued. */
export async function revokeIssuedByCode(code: StoredCode): Promise<void> {
  const now = new Date();
  await revocation(async (tx) => {
    await tx.refreshToken.updateMany({ where: { familyId: code.id, revokedAt: null }, data: { revokedAt: now } });
    await tx.opaqueToken.updateMany({ where: { familyId: code.id, revokedAt: null }, data: { revokedAt: now } });
    const at = code.issued?.accessToken;
    if (at?.format === 'jwt') {
      await tx.revokedToken.upsert({ where: { jti: at.jti }, create: { jti: at.jti, expiresAt: new Date(at.exp * 1000) }, update: {} });
    }
  });
}
