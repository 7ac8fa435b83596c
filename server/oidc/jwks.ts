// GET /oidc/jwks (RFC 7517): public keys of the Current, Next and Previous signing keys. A staged Next key
// is published from the moment of the rotation; Cache-Control keeps caches short enough that a pending
// key is seen before it signs (jwksMaxAge).
import { jwksMaxAge, publicJwks } from '../services/signing-keys/key-set.ts';
import type { ProtocolResponse } from '../http/envelope.ts';

export async function jwksEndpoint(): Promise<ProtocolResponse> {
  const now = new Date();
  const [maxAge, jwks] = await Promise.all([jwksMaxAge(now), publicJwks(now)]);
  return {
    status: 200,
    headers: {
      'content-type': 'application/jwk-set+json',
      'cache-control': `public, max-age=${maxAge}`,
      'access-control-allow-origin': '*',
    },
    body: JSON.stringify(jwks),
  };
}
