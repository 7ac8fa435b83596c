// OIDC Discovery and RFC 8414 metadata. Lists only what Sigil implements.
import { env } from '../env.ts';
import { GRANTS } from './grants/index.ts';
import { json, type ProtocolResponse } from '../http/envelope.ts';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

export function metadata() {
  const { issuer } = env();
  return {
    issuer,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    introspection_endpoint: `${issuer}/token/introspection`,
    revocation_endpoint: `${issuer}/token/revocation`,
    grant_types_supported: [...GRANTS.keys()],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_supports_token_types: ['access_token'] as string[],
    service_documentation: `${env().publicUrl}/console/api-reference`,
  };
}

export async function discoveryEndpoint(): Promise<ProtocolResponse> {
  return json(200, metadata(), { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
}
