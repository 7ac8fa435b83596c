// Access token issuance: RFC 9068 JWTs (typ at+jwt) or opaque reference tokens, per resource.
import { bulkInsert } from '../../db/bulk-insert.ts';
import { env } from '../../env.ts';
import type { OAuthResource } from '../clients.ts';
import { randomToken, timeOrderedId } from '../crypto.ts';
import { GroupCommit } from '../group-commit.ts';
import { ORGANIZATION_URN_PREFIX } from '../organizations/tokens.ts';
import { secretHash } from '../instance-key.ts';
import { mergeClaims } from './claims.ts';
import { signAccessToken, signingKeyNow } from './jws.ts';

/** The claims decided before custom claims run: what a claims script sees as `token`. */
export type TokenDraft = {
  jti: string;
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string[];
  iat: number;
  exp: number;
  act?: Record<string, unknown>;
  /** A resource token issued within an organization (Logto's RFC 0006). */
  organization_id?: string;
};

export function draftToken(input: { clientId: string; subject: string; resource: OAuthResource; scopes: string[]; act?: Record<string, unknown>; organizationId?: string; now?: number }): TokenDraft {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  return {
    // Time-ordered: an opaque token's row id is its jti (see crypto.ts); ~62 random bits keep it unique.
    jti: timeOrderedId(),
    iss: env().issuer,
    sub: input.subject,
    aud: input.resource.indicator,
    client_id: input.clientId,
    scope: input.scopes,
    iat,
    exp: iat + input.resource.accessTokenTtl,
    ...(input.act ? { act: input.act } : {}),
    ...(input.organizationId ? { organization_id: input.organizationId } : {}),
  };
}

/**
 * Whether a token states its scope even when empty: Logto omits an empty `scope`, except on organization
 * tokens (`aud = urn:logto:organization:<id>`), whose scope it always sets, `""` included.
 */
export const scopeAlwaysStated = (d: Pick<TokenDraft, 'aud' | 'scope'>) => d.scope.length > 0 || d.aud.startsWith(ORGANIZATION_URN_PREFIX);

/** The reserved claims in wire form. `scope` is omitted when empty, as Logto does (see scopeAlwaysStated). */
export function reservedClaims(d: TokenDraft): Record<string, unknown> {
  return {
    jti: d.jti,
    sub: d.sub,
    iat: d.iat,
    exp: d.exp,
    ...(scopeAlwaysStated(d) ? { scope: d.scope.join(' ') } : {}),
    client_id: d.client_id,
    iss: d.iss,
    aud: d.aud,
    ...(d.act ? { act: d.act } : {}),
    ...(d.organization_id ? { organization_id: d.organization_id } : {}),
  };
}

export type IssuedToken = { accessToken: string; expiresIn: number; scope: string; claims: Record<string, unknown> };

type OpaqueRow = {
  id: string; tokenHash: string; applicationId: string; subject: string; resource: string; scope: string;
  claims: object; expiresAt: Date; grantId: string | null; familyId: string | null;
};

/** A user token's origin (grant and refresh-token family), so revoking either reaches its opaque tokens. */
export type TokenLinks = { grantId: string; familyId: string };

/** The `resource` of an opaque token that is good for /oidc/me only (no audience). */
export const USERINFO_RESOURCE = '';
// One writer per process (module state): opaque token rows are group-committed like audit records.
let opaqueWriter: GroupCommit<OpaqueRow> | undefined;
const opaqueRows = () => (opaqueWriter ??= new GroupCommit<OpaqueRow>((rows) => bulkInsert('OpaqueToken', rows)));

export async function issueAccessToken(
  draft: TokenDraft,
  format: OAuthResource['tokenFormat'],
  customClaims?: Record<string, unknown>,
  links?: TokenLinks,
): Promise<IssuedToken> {
  const claims = mergeClaims(reservedClaims(draft), customClaims);
  const expiresIn = draft.exp - draft.iat;
  const scope = draft.scope.join(' ');
  if (format === 'opaque') {
    // 256 random bits; only a keyed hash is stored, so a database leak yields no usable token.
    const token = randomToken(32);
    await opaqueRows().add({
      id: draft.jti,
      tokenHash: await secretHash(token),
      applicationId: draft.client_id,
      subject: draft.sub,
      resource: draft.aud,
      scope,
      claims,
      expiresAt: new Date(draft.exp * 1000),
      grantId: links?.grantId ?? null,
      familyId: links?.familyId ?? null,
    });
    return { accessToken: token, expiresIn, scope, claims };
  }
  const jwt = await signAccessToken(await signingKeyNow(), claims);
  return { accessToken: jwt, expiresIn, scope, claims };
}

export const USERINFO_TOKEN_TTL_SECONDS = 3600;

/**
 * The access token of a sign-in that named no resource (Logto's): opaque, no audience, good for /oidc/me
 * only. Its claims are what introspection shows and userinfo reads (`scope` decides the claims).
 */
export async function issueUserinfoToken(input: { clientId: string; userId: string; scopes: string[]; links: TokenLinks; ttlSeconds?: number; now?: number; jti?: string }): Promise<IssuedToken & { jti: string; exp: number }> {
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  const expiresIn = input.ttlSeconds ?? USERINFO_TOKEN_TTL_SECONDS;
  const jti = input.jti ?? timeOrderedId();
  const scope = input.scopes.join(' ');
  const claims = { jti, sub: input.userId, iat, exp: iat + expiresIn, ...(scope ? { scope } : {}), client_id: input.clientId, iss: env().issuer };
  const token = randomToken(32);
  await opaqueRows().add({
    id: jti, tokenHash: await secretHash(token), applicationId: input.clientId, subject: input.userId, resource: USERINFO_RESOURCE,
    scope, claims, expiresAt: new Date((iat + expiresIn) * 1000), grantId: input.links.grantId, familyId: input.links.familyId,
  });
  return { accessToken: token, expiresIn, scope, claims, jti, exp: iat + expiresIn };
}
