// Which protocol endpoint answers which path. Shared by the lean Node front and the Next route handlers.
import { authorizationEndpoint, resumeEndpoint } from './authorization/endpoint.ts';
import { CORS_PATHS, preflight } from './cors.ts';
import { discoveryEndpoint } from './discovery.ts';
import { endSessionConfirmEndpoint, endSessionEndpoint } from './end-session.ts';
import { InvalidRequest, MethodNotAllowed, errorResponse, toOAuthError } from './errors.ts';
import { json, type Endpoint, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';
import { introspectionEndpoint } from './introspection.ts';
import { jwksEndpoint } from './jwks.ts';
import { revocationEndpoint } from './revocation.ts';
import { tokenEndpoint } from './token.ts';
import { userinfoEndpoint } from './userinfo.ts';

const getOnly = (endpoint: () => Promise<ProtocolResponse>): Endpoint => async (req) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return errorResponse(new MethodNotAllowed('GET'));
  return endpoint();
};

export const OIDC_ROUTES: Record<string, Endpoint> = {
  '/oidc/auth': authorizationEndpoint,
  '/oidc/token': tokenEndpoint,
  '/oidc/me': userinfoEndpoint,
  '/oidc/session/end': endSessionEndpoint,
  '/oidc/session/end/confirm': endSessionConfirmEndpoint,
  '/oidc/token/introspection': introspectionEndpoint,
  '/oidc/token/revocation': revocationEndpoint,
  '/oidc/jwks': getOnly(jwksEndpoint),
  '/oidc/.well-known/openid-configuration': getOnly(discoveryEndpoint),
  '/oidc/.well-known/oauth-authorization-server': getOnly(discoveryEndpoint),
  '/.well-known/openid-configuration': getOnly(discoveryEndpoint),
  // RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
  '/.well-known/oauth-authorization-server/oidc': getOnly(discoveryEndpoint),
  '/.well-known/oauth-authorization-server': getOnly(discoveryEndpoint),
};

/** /oidc/auth/:uid, where the sign-in and consent pages send the browser back. */
const RESUME = /^\/oidc\/auth\/([a-z0-9]{21})$/;

export function isOidcPath(path: string): boolean {
  return path.startsWith('/oidc') || path.startsWith('/.well-known/');
}

/** Dispatch a protocol request; unknown paths get a JSON 404, and nothing escapes as a crash. */
export async function handleOidc(req: ProtocolRequest): Promise<ProtocolResponse> {
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  const resume = RESUME.exec(path);
  const endpoint: Endpoint | undefined = resume ? (r) => resumeEndpoint(r, resume[1]!) : OIDC_ROUTES[path];
  try {
    if (!endpoint) return json(404, { error: 'invalid_request', error_description: 'not found', code: 'oidc.invalid_request', message: 'not found' });
    if (req.method === 'OPTIONS') {
      return CORS_PATHS.has(path) ? preflight(req) : { status: 204, headers: { allow: 'GET, HEAD, POST, OPTIONS' }, body: '' };
    }
    if (req.duplicateHeader) throw new InvalidRequest(`the ${req.duplicateHeader} header must not be repeated`);
    return await endpoint(req);
  } catch (error) {
    return errorResponse(toOAuthError(error));
  }
}
