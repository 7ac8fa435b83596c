// Validating access tokens this issuer made: for introspection, revocation and the Management API.
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { db } from '../../db/index.ts';
import { env } from '../../env.ts';
import { changed, dependentCache, fresh } from '../cache.ts';
import { findClient } from '../clients.ts';
import { configCommitted } from '../events/signal.ts';
import { secretHash } from '../instance-key.ts';
import { verificationKey } from '../signing-keys/key-set.ts';

export type ActiveToken = {
  format: 'jwt' | 'opaque';
  jti: string;
  clientId: string;
  claims: Record<string, unknown> & { sub?: string; aud?: string | string[]; scope?: string; exp?: number; iat?: number };
};

export type TokenCheck = { active: true; token: ActiveToken } | { active: false; reason: 'malformed' | 'invalid' | 'expired' | 'revoked' | 'unknown' | 'client-deleted' };

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

// Tokens this process found active, by their exact text, so that checking the same token again costs no
// signature check and no database read (introspection by a resource server, the Management API's bearer
// token). Every revocation, and every change that can end a token (a key, an app), bumps the change stamp,
// which drops this cache: at once in this process and its sibling, within SIGIL_CACHE_TTL_MS on other
// instances (services/cache.ts). Expiry is checked on every hit.
const seen = dependentCache<ActiveToken>(10_000);

export async function checkAccessToken(token: string, now = Date.now()): Promise<TokenCheck> {
  if (token.length === 0 || token.length > 16_384) return { active: false, reason: 'malformed' };
  await fresh();
  const hit = seen.get(token);
  if (hit && Number(hit.claims.exp ?? 0) * 1000 <= now) seen.delete(token);
  const check = hit ? { active: true as const, token: hit } : await (JWT_SHAPE.test(token) ? checkJwt(token, now) : checkOpaque(token, now));
  if (!check.active) return check;
  if (Number(check.token.claims.exp ?? 0) * 1000 <= now) return { active: false, reason: 'expired' };
  // A token outlives nothing it was issued to: once its application is deleted it is inactive (as in
  // node-oidc-provider). A cached lookup.
  if (!(await findClient(check.token.clientId))) return { active: false, reason: 'client-deleted' };
  seen.set(token, check.token);
  return check;
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
    token: {
      format: 'opaque',
      jti: row.id,
      clientId: row.applicationId,
      // `exp` from the row (the stored claims carry it too): the cache above checks expiry by it.
      claims: { ...(row.claims as ActiveToken['claims']), exp: Math.floor(row.expiresAt.getTime() / 1000) },
    },
  };
}

/** RFC 7009: revoke by the token itself. JWTs go on a revocation list (by jti) until they would expire. */
export async function revokeAccessToken(token: ActiveToken): Promise<void> {
  if (token.format === 'opaque') {
    await db().opaqueToken.updateMany({ where: { id: token.jti, revokedAt: null }, data: { revokedAt: new Date() } });
  } else {
    const expiresAt = new Date(Number(token.claims.exp ?? 0) * 1000);
    await db().revokedToken.upsert({ where: { jti: token.jti }, create: { jti: token.jti, expiresAt }, update: {} });
  }
  // After the revocation committed: drop tokens seen active, here and in the sibling process.
  await changed();
  configCommitted();
}
