// Bearer authentication for /api/* (RFC 6750): an access token this issuer made for the Management API
// resource, carrying `all` or the endpoint's fine-grained scope.
import { env } from '../env.ts';
import type { Actor } from '../services/actor.ts';
import { findClient } from '../services/clients.ts';
import type { ManagementScope } from '../services/management-resource.ts';
import { checkAccessToken } from '../services/tokens/verify.ts';
import { ApiError } from './errors.ts';

const challenge = (error?: string, description?: string, scope?: string) => ({
  'www-authenticate': `Bearer realm="Sigil"${error ? `, error="${error}"` : ''}${description ? `, error_description="${description}"` : ''}${scope ? `, scope="${scope}"` : ''}`,
});

export async function authenticate(authorization: string | undefined, required: ManagementScope, meta: { ip: string | null; userAgent?: string }): Promise<Actor> {
  const match = authorization && /^Bearer +([\x21-\x7E]+) *$/i.exec(authorization);
  if (!match) throw new ApiError(401, 'auth.authorization_header_missing', 'A Bearer access token is required.', undefined, challenge());
  const check = await checkAccessToken(match[1]!);
  if (!check.active) {
    const description = check.reason === 'expired' ? 'The access token has expired.' : 'The access token is invalid.';
    throw new ApiError(401, 'auth.unauthorized', description, undefined, challenge('invalid_token', description));
  }
  const { claims, clientId } = check.token;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(env().managementApiIndicator)) {
    throw new ApiError(403, 'auth.forbidden', 'The access token is not for the Management API resource.', undefined, challenge('insufficient_scope', 'wrong audience'));
  }
  const scopes = new Set(String(claims.scope ?? '').split(' '));
  if (!scopes.has('all') && !scopes.has(required)) {
    throw new ApiError(403, 'auth.forbidden', `The access token lacks the \`${required}\` scope.`, undefined, challenge('insufficient_scope', 'missing scope', required));
  }
  if (!(await findClient(clientId))) {
    throw new ApiError(401, 'auth.unauthorized', 'The application of this access token no longer exists.', undefined, challenge('invalid_token'));
  }
  return { type: 'application', id: clientId, ip: meta.ip ?? undefined, userAgent: meta.userAgent };
}
