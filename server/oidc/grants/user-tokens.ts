// The tokens of a signed-in user, shared by the authorization_code and refresh_token grants:
// - an access token: without `resource`, opaque and good for /oidc/me only (Logto's); with one `resource`
//   from the authorization, an RFC 9068 JWT (or opaque, per the resource) whose scopes are the user's role
//   scopes on that resource ∩ the authorized scopes, after the `access-token` claims script;
// - an ID token when `openid` was granted.
// Planning (everything that can refuse, including the claims script) comes before the grant consumes its
// code or rotates its refresh token, so a refused request burns nothing.
import { applicationContext } from '../../services/jwt-customizer/index.ts';
import { findResource, type OAuthResource } from '../../services/clients.ts';
import { userClaimsContext, userScopesOn, type ImpersonatedUser } from '../../services/impersonation.ts';
import { isOidcScope } from '../../services/sign-in/user-claims.ts';
import { issueIdToken } from '../../services/tokens/id-token.ts';
import { draftToken, issueAccessToken, issueUserinfoToken, USERINFO_TOKEN_TTL_SECONDS, type TokenDraft, type TokenLinks } from '../../services/tokens/issue.ts';
import { timeOrderedId } from '../../services/crypto.ts';
import { InsufficientScope, InvalidRequest, InvalidTarget } from '../errors.ts';
import { customClaims } from './custom-claims.ts';
import { organizationGrant, organizationIdOf } from './organization.ts';
import { UNKNOWN_RESOURCE } from './resource.ts';
import { organizationContext } from '../../services/organizations/subject-organizations.ts';
import type { GrantContext, TokenResponseBody } from './types.ts';

const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

export type Authorization = {
  user: ImpersonatedUser;
  links: TokenLinks;
  /** Scopes this authorization may mint (OIDC and resource scopes). */
  scopes: string[];
  resources: string[];
  authTime: Date;
  nonce?: string | null;
  /** The grant type for the claims script's `token.gty`. */
  gty: 'authorization_code' | 'refresh_token';
  /** `organization_id` of the authorization request: the code exchange issues an organization token. */
  organizationId?: string | null;
};

/** What a replayed code must revoke: the access token's id, kind and expiry. */
export type AccessTokenRecord = { jti: string; format: 'jwt' | 'opaque'; exp: number };

export type Plan = {
  authorization: Authorization;
  /** Decided before anything is signed or stored, so a code exchange records it as it consumes the code. */
  accessToken: AccessTokenRecord & { iat: number };
  resource?: { resource: OAuthResource; draft: TokenDraft; claims?: Record<string, unknown> };
};

const plannedFrom = (draft: TokenDraft, format: OAuthResource['tokenFormat']): Plan['accessToken'] => ({ jti: draft.jti, format, iat: draft.iat, exp: draft.exp });

/** The one `resource` asked for at the token endpoint, which must be one the user authorized. */
async function requestedResource(ctx: GrantContext, authorized: string[]): Promise<OAuthResource | undefined> {
  const requested = ctx.form.all('resource');
  if (requested.length > 1) throw new InvalidTarget('only one resource indicator may be requested');
  const indicator = requested[0];
  if (indicator === undefined) return undefined;
  if (!authorized.includes(indicator)) throw new InvalidTarget('resource was not part of the authorization request');
  const resource = await findResource(indicator);
  if (!resource || resource.isBuiltIn) throw new InvalidTarget(UNKNOWN_RESOURCE);
  return resource;
}

/**
 * The access token's custom claims for the signed-in user (the `access-token` script), and its audit scope.
 * For an organization token the script also sees `context.organization`.
 */
async function userTokenClaims(ctx: GrantContext, authorization: Authorization, draft: TokenDraft, organizationId?: string) {
  const { user, links } = authorization;
  ctx.facts.scope = draft.scope.join(' ');
  return customClaims('access-token', {
    draft,
    context: async () => {
      const [userContext, organization] = await Promise.all([
        userClaimsContext(user),
        organizationId ? organizationContext('user', organizationId, user.id) : undefined,
      ]);
      return { user: userContext, application: applicationContext(ctx.client), ...(organization ? { organization } : {}) };
    },
    grant: { gty: authorization.gty, grantId: links.grantId },
    request: { ip: ctx.req.ip, userAgent: ctx.req.header('user-agent')?.slice(0, 512) },
  }, ctx.facts);
}

export async function planUserTokens(ctx: GrantContext, authorization: Authorization): Promise<Plan> {
  const { user, links, scopes } = authorization;
  ctx.facts.userId = user.id;
  ctx.facts.grantId = links.grantId;
  const requested = organizationIdOf(ctx.form.get('organization_id'));
  if (requested && authorization.gty !== 'refresh_token') {
    throw new InvalidRequest('organization_id is accepted with the refresh_token grant only (or on the authorization request)');
  }
  const organizationId = requested ?? authorization.organizationId ?? undefined;
  if (organizationId) return planOrganizationToken(ctx, authorization, organizationId);
  const resource = await requestedResource(ctx, authorization.resources);
  if (!resource) {
    ctx.facts.scope = scopes.filter(isOidcScope).join(' ');
    const iat = Math.floor(Date.now() / 1000);
    return { authorization, accessToken: { jti: timeOrderedId(), format: 'opaque', iat, exp: iat + USERINFO_TOKEN_TTL_SECONDS } };
  }
  ctx.facts.resource = resource.indicator;
  const granted = userScopesOn(user, resource.indicator);
  const draft = draftToken({ clientId: ctx.client.id, subject: user.id, resource, scopes: scopes.filter((s) => granted.has(s)) });
  const claims = await userTokenClaims(ctx, authorization, draft);
  return { authorization, accessToken: plannedFrom(draft, resource.tokenFormat), resource: { resource: resource, draft, claims } };
}

/** Sign and store what was planned; `refreshToken` is added to the response as given. */
export async function issuePlanned(ctx: GrantContext, plan: Plan, refreshToken?: string): Promise<TokenResponseBody> {
  const { user, links, scopes, authTime, nonce } = plan.authorization;
  let issued: { accessToken: string; expiresIn: number; scope: string };
  if (plan.resource) {
    const { resource, draft, claims } = plan.resource;
    issued = await issueAccessToken(draft, resource.tokenFormat, claims, links);
  } else {
    const { jti, iat } = plan.accessToken;
    issued = await issueUserinfoToken({ clientId: ctx.client.id, userId: user.id, scopes: scopes.filter(isOidcScope), links, jti, now: iat * 1000 });
  }
  const idToken = scopes.includes('openid')
    ? await issueIdToken({ clientId: ctx.client.id, user, scopes, authTime, nonce, accessToken: issued.accessToken })
    : undefined;
  ctx.facts.tokenId = plan.accessToken.jti;
  return {
    access_token: issued.accessToken,
    expires_in: issued.expiresIn,
    ...(idToken ? { id_token: idToken } : {}),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    // Always a string (Logto's SDK caches tokens by it), even when no scope was granted.
    scope: issued.scope,
    token_type: 'Bearer',
  };
}

/**
 * An organization token from a user's grant (the refresh grant with `organization_id`, or the code exchange
 * of an authorization request that had one), with the organizations scope. Its scopes are the authorized
 * (or narrowed) ones that the user's organization roles give now: organization scopes without `resource`,
 * that resource's scopes with it.
 */
async function planOrganizationToken(ctx: GrantContext, authorization: Authorization, organizationId: string): Promise<Plan> {
  const { user, scopes } = authorization;
  if (!scopes.includes(ORGANIZATIONS_SCOPE)) throw new InsufficientScope(`the ${ORGANIZATIONS_SCOPE} scope was not granted`);
  ctx.facts.organizationId = organizationId;
  const target = await requestedResource(ctx, authorization.resources);
  const org = await organizationGrant('user', organizationId, user.id, scopes, target);
  ctx.facts.resource = org.resource.indicator;
  const draft = draftToken({ clientId: ctx.client.id, subject: user.id, resource: org.resource, scopes: org.scopes, organizationId: org.organizationId });
  const claims = await userTokenClaims(ctx, authorization, draft, organizationId);
  return { authorization, accessToken: plannedFrom(draft, org.resource.tokenFormat), resource: { resource: org.resource, draft, claims } };
}
