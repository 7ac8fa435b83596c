// Validating access tokens this issuer made: for introspection, revocation and the Management API.
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { db } from '../../db/index.ts';
import { env } from '../../env.ts';
import { secretHash } from '../instance-key.ts';
import { verificationKey } from '../signing-keys/key-set.ts';

export type ActiveToken = {
  format: 'jwt' | 'opaque';
  jti: string;
  clientId: string;
  claims: Record<string, unknown> & { sub?: string; aud?: string | string[]; scope?: string; exp?: number; iat?: number };
};

export type TokenCheck = { active: true; token: ActiveToken } | { active: false; reason: 'malformed' | 'invalid' | 'expired' | 'revoked' | 'unknown' };

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export async function checkAccessToken(token: string, now = Date.now()): Promise<TokenCheck> {
  if (token.length === 0 || token.length > 16_384) return { active: false, reason: 'malformed' };
  return JWT_SHAPE.test(token) ? checkJwt(token, now) : checkOpaque(token, now);
}

async function checkJwt(token: string, now: number): Promise<TokenCheck> {
  let kid: string | undefined;
  let typ: string | undefined;
  try {
    ({ kid, typ } = decodeProtectedHeader(token));
  } catch {
    return { active: false, reason: 'malformed' };
  }
  if (!kid || typ !== 'at+jwt') return { active: false, reason: 'invalid' };
  const key = await verificationKey(kid);
  if (!key) return { active: false, reason: 'unknown' };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await key.publicKey(), {
      issuer: env().issuer,
      typ: 'at+jwt',
      algorithms: [key.alg],
      currentDate: new Date(now),
      requiredClaims: ['jti', 'exp', 'iat', 'sub', 'client_id'],
    }));
  } catch (error) {
    return { active: false, reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
  const jti = String(payload.jti);
  if (await db().revokedToken.findUnique({ where: { jti } })) return { active: false, reason: 'revoked' };
  return { active: true, token: { format: 'jwt', jti, clientId: String(payload.client_id), claims: payload as ActiveToken['claims'] } };
}

async function checkOpaque(token: string, now: number): Promise<TokenCheck> {
  if (!/^[\w-]{20,128}$/.test(token)) return { active: false, reason: 'malformed' };
  const row = await db().opaqueToken.findUnique({ where: { tokenHash: await secretHash(token) } });
  if (!row) return { active: false, reason: 'unknown' };
  if (row.revokedAt) return { active: false, reason: 'revoked' };
  if (row.expiresAt.getTime() <= now) return { active: false, reason: 'expired' };
  return {
    active: true,
    token: { format: 'opaque', jti: row.id, clientId: row.applicationId, claims: row.claims as ActiveToken['claims'] },
  };
}

/** RFC 7009: revoke by the token itself. JWTs go on a revocation list (by jti) until they would expire. */
export async function revokeAccessToken(token: ActiveToken): Promise<void> {
  if (token.format === 'opaque') {
    await db().opaqueToken.updateMany({ where: { id: token.jti, revokedAt: null }, data: { revokedAt: new Date() } });
    return;
  }
  const expiresAt = new Date(Number(token.claims.exp ?? 0) * 1000);
  await db().revokedToken.upsert({ where: { jti: token.jti }, create: { jti: token.jti, expiresAt }, update: {} });
}
