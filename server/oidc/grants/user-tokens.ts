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
import { draftToken, issueAccessToken, issueUserinfoToken, type TokenDraft, type TokenLinks } from '../../services/tokens/issue.ts';
import { InsufficientScope, InvalidRequest, InvalidTarget } from '../errors.ts';
import { customClaims } from './custom-claims.ts';
import { organizationGrant, organizationIdOf } from './organization.ts';

const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';
import type { GrantContext, TokenResponseBody } from './types.ts';

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
};

export type Plan = {
  authorization: Authorization;
  resource?: { resource: OAuthResource; draft: TokenDraft; claims?: Record<string, unknown> };
};

/** The one `resource` asked for at the token endpoint, which must be one the user authorized. */
async function requestedResource(ctx: GrantContext, authorized: string[]): Promise<OAuthResource | undefined> {
  const requested = ctx.form.all('resource');
  if (requested.length > 1) throw new InvalidTarget('only one resource indicator may be requested');
  const indicator = requested[0];
  if (indicator === undefined) return undefined;
  if (!authorized.includes(indicator)) throw new InvalidTarget('resource was not part of the authorization request');
  const resource = await findResource(indicator);
  if (!resource || resource.isBuiltIn) throw new InvalidTarget('resource indicator is unknown');
  return resource;
}

/** The access token's custom claims for the signed-in user (the `access-token` script), and its audit scope. */
async function userTokenClaims(ctx: GrantContext, authorization: Authorization, draft: TokenDraft) {
  const { user, links } = authorization;
  ctx.facts.scope = draft.scope.join(' ');
  return customClaims('access-token', {
    draft,
    context: () => ({ user: userClaimsContext(user), application: applicationContext(ctx.client) }),
    grant: { gty: authorization.gty, grantId: links.grantId },
    request: { ip: ctx.req.ip, userAgent: ctx.req.header('user-agent')?.slice(0, 512) },
  }, ctx.facts);
}

export async function planUserTokens(ctx: GrantContext, authorization: Authorization): Promise<Plan> {
  const { user, links, scopes } = authorization;
  ctx.facts.userId = user.id;
  ctx.facts.grantId = links.grantId;
  const organizationId = organizationIdOf(ctx.form.get('organization_id'));
  if (organizationId) return planOrganizationToken(ctx, authorization, organizationId);
  const resource = await requestedResource(ctx, authorization.resources);
  if (!resource) {
    ctx.facts.scope = scopes.filter(isOidcScope).join(' ');
    return { authorization };
  }
  ctx.facts.resource = resource.indicator;
  const granted = userScopesOn(user, resource.indicator);
  const draft = draftToken({ clientId: ctx.client.id, subject: user.id, resource, scopes: scopes.filter((s) => granted.has(s)) });
  const claims = await userTokenClaims(ctx, authorization, draft);
  return { authorization, resource: { resource: resource, draft, claims } };
}

export type Issued = { body: TokenResponseBody; accessToken: { jti: string; format: 'jwt' | 'opaque'; exp: number } };

/** Sign and store what was planned; `refreshToken` is added to the response as given. */
export async function issuePlanned(ctx: GrantContext, plan: Plan, refreshToken?: string): Promise<Issued> {
  const { user, links, scopes, authTime, nonce } = plan.authorization;
  let accessToken: string;
  let expiresIn: number;
  let scope: string;
  let record: Issued['accessToken'];
  if (plan.resource) {
    const { resource, draft, claims } = plan.resource;
    const issued = await issueAccessToken(draft, resource.tokenFormat, claims, links);
    ({ accessToken, expiresIn, scope } = issued);
    record = { jti: draft.jti, format: resource.tokenFormat, exp: draft.exp };
  } else {
    const issued = await issueUserinfoToken({ clientId: ctx.client.id, userId: user.id, scopes: scopes.filter(isOidcScope), links });
    ({ accessToken, expiresIn, scope } = issued);
    record = { jti: issued.jti, format: 'opaque', exp: issued.exp };
  }
  const idToken = scopes.includes('openid')
    ? await issueIdToken({ clientId: ctx.client.id, user, scopes, authTime, nonce, accessToken })
    : undefined;
  ctx.facts.tokenId = record.jti;
  return {
    accessToken: record,
    body: {
      access_token: accessToken,
      expires_in: expiresIn,
      ...(idToken ? { id_token: idToken } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      // Always a string (Logto's SDK caches tokens by it), even when no scope was granted.
      scope,
      token_type: 'Bearer',
    },
  };
}

/** An organization token from a user's grant (Logto: the refresh grant only, with the organizations scope). */
async function planOrganizationToken(ctx: GrantContext, authorization: Authorization, organizationId: string): Promise<Plan> {
  const { user, links, scopes } = authorization;
  if (authorization.gty !== 'refresh_token') throw new InvalidRequest('organization_id is accepted with the refresh_token grant only');
  if (!scopes.includes(ORGANIZATIONS_SCOPE)) throw new InsufficientScope(`the ${ORGANIZATIONS_SCOPE} scope was not granted`);
  ctx.facts.organizationId = organizationId;
  const target = await requestedResource(ctx, authorization.resources);
  const org = await organizationGrant('user', organizationId, user.id, target ? scopes : 'all-held', target);
  ctx.facts.resource = org.resource.indicator;
  const draft = draftToken({ clientId: ctx.client.id, subject: user.id, resource: org.resource, scopes: org.scopes, organizationId: org.organizationId });
  const claims = await userTokenClaims(ctx, authorization, draft);
  return { authorization, resource: { resource: org.resource, draft, claims } };
}
