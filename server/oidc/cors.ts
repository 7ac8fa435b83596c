// CORS (Fetch standard) for the endpoints a browser app calls directly: /oidc/token, /oidc/me and
// /oidc/token/revocation, nowhere else (discovery and JWKS are public documents with `*`). An origin is
// allowed when it is the origin of one of the app's redirect URIs or listed in its
// customClientMetadata.corsAllowedOrigins. A preflight cannot name the app, so it is answered for any
// origin; the actual response carries Access-Control-Allow-Origin only for an allowed one, so a page on
// any other origin cannot read it. No credentials (cookies) are ever allowed cross-origin.
import type { ProtocolRequest, ProtocolResponse } from '../http/envelope.ts';
import type { OAuthClient } from '../services/clients.ts';

export const CORS_PATHS = new Set(['/oidc/token', '/oidc/me', '/oidc/token/revocation']);

const ORIGIN = /^https?:\/\/[^\s/]+$/;

export function corsHeaders(req: ProtocolRequest, client: Pick<OAuthClient, 'corsOrigins'> | null | undefined): Record<string, string> {
  const origin = req.header('origin');
  if (!origin || !client || !ORIGIN.test(origin) || !client.corsOrigins.has(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'WWW-Authenticate', vary: 'Origin' };
}

export function preflight(req: ProtocolRequest): ProtocolResponse {
  const origin = req.header('origin');
  const headers: Record<string, string> = { allow: 'GET, HEAD, POST, OPTIONS', vary: 'Origin' };
  if (origin && ORIGIN.test(origin)) {
    Object.assign(headers, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'Authorization, Content-Type, DPoP',
      'access-control-max-age': '600',
    });
  }
  return { status: 204, headers, body: '' };
}
