// ID tokens (OIDC Core §2, §3.1.3.6): signed with the current signing key (`kid` in the header), `aud` the
// app, one hour, `auth_time` of the sign-in, `nonce` when the request had one, `at_hash` of the access token
// issued with it, and the user's claims by granted scope. Reserved claims are set last, so no profile
// field can stand in for them.
import { compactVerify, decodeProtectedHeader } from 'jose';
import { env } from '../../env.ts';
import { verificationKey } from '../signing-keys/key-set.ts';
import type { ImpersonatedUser } from '../impersonation.ts';
import { claimOrganizations, idTokenClaims } from '../sign-in/user-claims.ts';
import { accessTokenHash, signingKeyNow, signJwt } from './jws.ts';

export const ID_TOKEN_TTL_SECONDS = 3600;

export type IdTokenInput = {
  clientId: string;
  user: ImpersonatedUser;
  scopes: Iterable<string>;
  authTime: Date;
  nonce?: string | null;
  accessToken?: string;
  now?: number;
};

export async function issueIdToken(input: IdTokenInput): Promise<string> {
  const scopes = [...input.scopes];
  const [key, organizations] = await Promise.all([signingKeyNow(), claimOrganizations(input.user.id, scopes)]);
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  return signJwt(key, {
    ...idTokenClaims(input.user, scopes, organizations),
    iss: env().issuer,
    sub: input.user.id,
    aud: input.clientId,
    exp: iat + ID_TOKEN_TTL_SECONDS,
    iat,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
    ...(input.nonce ? { nonce: input.nonce } : {}),
    ...(input.accessToken ? { at_hash: accessTokenHash(key.alg, input.accessToken) } : {}),
  }, 'JWT');
}

/**
 * An `id_token_hint` (OIDC RP-Initiated Logout §2): an ID token this issuer signed, expired or not (a hint
 * may be old). Returns its `aud` (the app) and `sub`, or null when it is not such a token.
 */
export async function readIdTokenHint(token: string): Promise<{ clientId: string; sub: string } | null> {
  if (token.length > 16_384 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return null;
  try {
    const { kid, typ } = decodeProtectedHeader(token);
    if (!kid || (typ !== undefined && typ !== 'JWT')) return null;
    const key = await verificationKey(kid);
    if (!key) return null;
    const { payload } = await compactVerify(token, await key.publicKey(), { algorithms: [key.alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; aud?: unknown; sub?: unknown };
    if (claims.iss !== env().issuer || typeof claims.aud !== 'string' || typeof claims.sub !== 'string') return null;
    return { clientId: claims.aud, sub: claims.sub };
  } catch {
    return null;
  }
}
