// OIDC Discovery and RFC 8414 metadata. Lists only what Sigil implements.
import { env } from '../env.ts';
import { OIDC_SCOPES, SUPPORTED_CLAIMS } from '../services/sign-in/user-claims.ts';
import { resolvedKeySet } from '../services/signing-keys/key-set.ts';
import { declaredAlgs } from '../services/signing-keys/algorithms.ts';
import { GRANTS } from './grants/index.ts';
import { json, type ProtocolResponse } from '../http/envelope.ts';

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];
/**
 * The algorithms of the keys an ID token may be signed with now or during the rotation grace window
 * (Next, Current and Previous keys), so an RP that pins algorithms accepts every token it can meet.
 */
async function signingAlgs(): Promise<string[]> {
  return [...new Set((await resolvedKeySet()).flatMap((k) => declaredAlgs(k.alg)))].sort();
}

export async function metadata() {
  const { issuer } = env();
  return {
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    end_session_endpoint: `${issuer}/session/end`,
    jwks_uri: `${issuer}/jwks`,
    introspection_endpoint: `${issuer}/token/introspection`,
    revocation_endpoint: `${issuer}/token/revocation`,
    grant_types_supported: [...GRANTS.keys()],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: SUPPORTED_CLAIMS,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: await signingAlgs(),
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    token_endpoint_auth_methods_supported: [...AUTH_METHODS, 'none'],
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS, 'none'],
    revocation_endpoint_supports_token_types: ['access_token', 'refresh_token'] as string[],
    service_documentation: `${env().publicUrl}/console/api-reference`,
  };
}

export async function discoveryEndpoint(): Promise<ProtocolResponse> {
  return json(200, await metadata(), { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
}
