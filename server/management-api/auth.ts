// Bearer authentication for /api/* (RFC 6750): an access token this issuer made for the Management API
// resource. What the caller may do is the token's scopes that the application still holds now: removing
// an app's role, or a scope from its role, takes effect on its current tokens at the next request (the
// app's grants come from the client cache, which the configuration change stamp invalidates).
import { env } from '../env.ts';
import type { Actor } from '../services/actor.ts';
import { findClient } from '../services/clients.ts';
import type { ManagementScope } from '../services/management-resource.ts';
import { intersectScopes } from '../services/privilege.ts';
import { checkAccessToken, type TokenCheck } from '../services/tokens/verify.ts';
import { ApiError } from './errors.ts';

/** Tokens are ours: instances on one database may disagree about the time by a few seconds, no more. */
export const IAT_SKEW_SECONDS = 30;

const challenge = (error?: string, description?: string, scope?: string) => ({
  'www-authenticate': `Bearer realm="Sigil"${error ? `, error="${error}"` : ''}${description ? `, error_description="${description}"` : ''}${scope ? `, scope="${scope}"` : ''}`,
});

function unauthorized(description: string): ApiError {
  return new ApiError(401, 'auth.unauthorized', description, undefined, challenge('invalid_token', description));
}

const INACTIVE: Record<Extract<TokenCheck, { active: false }>['reason'], string> = {
  malformed: 'The access token is invalid.',
  invalid: 'The access token is invalid.',
  unknown: 'The access token is invalid.',
  revoked: 'The access token is invalid.',
  expired: 'The access token has expired.',
  'client-deleted': 'The application of this access token no longer exists.',
};

export async function authenticate(authorization: string | undefined, required: ManagementScope, meta: { ip: string | null; userAgent?: string }): Promise<Actor> {
  const match = authorization && /^Bearer +([\x21-\x7E]+) *$/i.exec(authorization);
  if (!match) throw new ApiError(401, 'auth.authorization_header_missing', 'A Bearer access token is required.', undefined, challenge());
  const check = await checkAccessToken(match[1]!);
  if (!check.active) throw unauthorized(INACTIVE[check.reason]);
  const { claims, clientId } = check.token;
  if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + IAT_SKEW_SECONDS) {
    throw unauthorized('The access token is invalid.');
  }
  const { managementApiIndicator } = env();
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(managementApiIndicator)) {
    throw new ApiError(403, 'auth.forbidden', 'The access token is not for the Management API resource.', undefined, challenge('insufficient_scope', 'wrong audience'));
  }
  const tokenScopes = new Set(String(claims.scope ?? '').split(' ').filter(Boolean));
  if (!tokenScopes.has('all') && !tokenScopes.has(required)) {
    throw new ApiError(403, 'auth.forbidden', `The access token lacks the \`${required}\` scope.`, undefined, challenge('insufficient_scope', 'missing scope', required));
  }
  const client = await findClient(clientId);
  if (!client) throw unauthorized(INACTIVE['client-deleted']); // deleted since the token check
  const granted = client.grantedScopes.get(managementApiIndicator) ?? new Set<string>();
  const scopes = intersectScopes(tokenScopes, granted);
  if (!scopes.has('all') && !scopes.has(required)) {
    throw new ApiError(403, 'auth.forbidden', `The application no longer holds the \`${required}\` scope.`, undefined, challenge('insufficient_scope', 'missing scope', required));
  }
  return { type: 'application', id: clientId, scopes, ip: meta.ip ?? undefined, userAgent: meta.userAgent };
}
