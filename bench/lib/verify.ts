// First-response checks: a token response must carry a JWT that jose verifies against the server's JWKS
// (ES256, typ at+jwt, issuer, audience, scope); an introspection must answer `active: true`.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Server } from './scenario.ts';

type Response = { status: number; body: string };

function json(response: Response): Record<string, unknown> | string {
  if (response.status !== 200) return `status ${response.status}: ${response.body.slice(0, 300)}`;
  try {
    return JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return `not JSON: ${response.body.slice(0, 300)}`;
  }
}

export function jwtCheck(
  server: Server,
  expect: { audience: string; scope: string; checkClaims?: (claims: Record<string, unknown>) => string | undefined },
): (response: Response) => Promise<string | undefined> {
  return async (response) => {
    const body = json(response);
    if (typeof body === 'string') return body;
    if (String(body.token_type).toLowerCase() !== 'bearer') return `token_type ${String(body.token_type)}`;
    if (typeof body.access_token !== 'string') return `no access_token in ${response.body.slice(0, 300)}`;
    const jwks = (await (await fetch(server.jwksUrl)).json()) as JSONWebKeySet;
    try {
      const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(jwks), {
        algorithms: ['ES256'],
        typ: 'at+jwt',
        issuer: server.issuer,
        audience: expect.audience,
      });
      if (payload.scope !== expect.scope) return `JWT scope ${JSON.stringify(payload.scope)}, expected ${expect.scope}`;
      return expect.checkClaims?.(payload);
    } catch (error) {
      return `access token does not verify against ${server.jwksUrl}: ${(error as Error).message}`;
    }
  };
}

export async function introspectionCheck(response: Response): Promise<string | undefined> {
  const body = json(response);
  if (typeof body === 'string') return body;
  return body.active === true ? undefined : `introspection answered ${response.body.slice(0, 300)}`;
}
