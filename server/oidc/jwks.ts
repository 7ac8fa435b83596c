// GET /oidc/jwks (RFC 7517): public keys of every Next, Current and Previous signing key.
import { jwksMaxAge, publicJwks } from '../services/signing-keys/key-set.ts';
import type { ProtocolResponse } from '../http/envelope.ts';

export async function jwksEndpoint(): Promise<ProtocolResponse> {
  const maxAge = await jwksMaxAge();
  return {
    status: 200,
    headers: {
      'content-type': 'application/jwk-set+json',
      'cache-control': `public, max-age=${maxAge}`,
      'access-control-allow-origin': '*',
    },
    body: JSON.stringify(await publicJwks()),
  };
}
