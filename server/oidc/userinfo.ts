// GET|POST /oidc/me (OIDC Core §5.3, Logto's path): the signed-in user's claims by the token's scopes. Only
// the opaque access token of a sign-in is accepted (the one issued without `resource`): an access token
// for an API resource is refused with 401 invalid_token, as is anything expired, revoked or unknown
// (RFC 6750 §3.1, with WWW-Authenticate). CORS for the app's origins.
import { findClient } from '../services/clients.ts';
import { loadImpersonatedUser } from '../services/impersonation.ts';
import { claimOrganizations, userinfoClaims } from '../services/sign-in/user-claims.ts';
import { checkAccessToken } from '../services/tokens/verify.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';
import { corsHeaders } from './cors.ts';
import { InsufficientScope, InvalidRequest, InvalidToken, MethodNotAllowed, NO_STORE, errorResponse, toOAuthError } from './errors.ts';
import { parseForm } from './form.ts';

/** RFC 6750 §2.1 (header) or §2.2 (form body); never both, never the query (§2.3 is not offered). */
function bearerToken(req: ProtocolRequest): string {
  const authorization = req.header('authorization');
  const fromBody = req.method === 'POST' && req.header('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')
    ? parseForm(req).get('access_token')
    : undefined;
  if (authorization !== undefined) {
    if (fromBody !== undefined) throw new InvalidRequest('the access token must be sent one way only');
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(authorization);
    if (!match) throw new InvalidToken('the Authorization header must be `Bearer <access token>`');
    return match[1]!;
  }
  if (fromBody !== undefined) return fromBody;
  throw new InvalidToken('no access token was sent');
}

export async function userinfoEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  let cors: Record<string, string> = {};
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') throw new MethodNotAllowed('GET, POST');
    const check = await checkAccessToken(bearerToken(req));
    if (!check.active) throw new InvalidToken(`the access token is ${check.reason === 'expired' ? 'expired' : check.reason === 'revoked' ? 'revoked' : 'invalid'}`);
    const { token } = check;
    cors = corsHeaders(req, await findClient(token.clientId));
    const claims = token.claims;
    // Resource tokens (JWTs and opaque tokens with an audience) are for their API, not for userinfo.
    if (token.format !== 'opaque' || claims.aud !== undefined || typeof claims.sub !== 'string') {
      throw new InvalidToken('this access token is for an API resource; use the access token issued without a resource');
    }
    const scopes = String(claims.scope ?? '').split(' ').filter(Boolean);
    if (!scopes.includes('openid')) throw new InsufficientScope('the access token was not granted the openid scope');
    const user = await loadImpersonatedUser(claims.sub);
    if (!user || user.isSuspended) throw new InvalidToken('the user of this access token is suspended or deleted');
    return json(200, userinfoClaims(user, scopes, await claimOrganizations(user.id, scopes)), { ...NO_STORE, ...cors });
  } catch (error) {
    return errorResponse(toOAuthError(error), cors);
  }
}
