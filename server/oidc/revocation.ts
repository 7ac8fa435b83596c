// POST /oidc/token/revocation (RFC 7009). Unknown or already invalid tokens answer 200 (§2.2). A token
// issued to another client is left alone with exactly the same answer (§2.1): the caller learns nothing
// about whether it is active, and only the audit log notes the attempt. Access tokens: opaque ones are
// marked revoked, JWTs go on the revocation list by `jti`. Refresh tokens: the token's whole family (its
// rotations) and the family's opaque access tokens (§2.1), not the user's other sign-ins to the app.
// Public clients (SPA, Native) revoke with client_id alone, as Logto's SDKs do at sign-out.
import { audit } from '../services/audit/index.ts';
import type { OAuthClient } from '../services/clients.ts';
import { findRefreshToken, revokeFamily } from '../services/sign-in/refresh-tokens.ts';
import { checkAccessToken, revokeAccessToken } from '../services/tokens/verify.ts';
import { authenticateClient } from './client-auth.ts';
import { corsHeaders } from './cors.ts';
import { InvalidRequest, NO_STORE, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost, type Form } from './form.ts';
import type { ProtocolRequest, ProtocolResponse } from '../http/envelope.ts';

const NOT_YOURS = 'the token was issued to another client';

async function revokeRefreshToken(token: string, client: OAuthClient, record: Record<string, unknown>): Promise<boolean> {
  const row = await findRefreshToken(token);
  if (!row) return false;
  if (row.applicationId !== client.id) {
    record.ignored = NOT_YOURS;
    return true;
  }
  await revokeFamily(row.familyId);
  record.tokenId = row.id;
  record.userId = row.userId;
  record.tokenType = 'refresh_token';
  return true;
}

async function revokeAnyAccessToken(token: string, client: OAuthClient, record: Record<string, unknown>): Promise<boolean> {
  const check = await checkAccessToken(token);
  if (!check.active) return false;
  if (check.token.clientId !== client.id) {
    record.ignored = NOT_YOURS;
    return true;
  }
  await revokeAccessToken(check.token);
  record.tokenId = check.token.jti;
  return true;
}

/** `token_type_hint` only decides which kind is looked up first (§2.1). */
async function revoke(form: Form, client: OAuthClient, record: Record<string, unknown>): Promise<void> {
  const token = form.get('token');
  if (!token) throw new InvalidRequest('token is missing');
  const order = form.get('token_type_hint') === 'refresh_token' ? [revokeRefreshToken, revokeAnyAccessToken] : [revokeAnyAccessToken, revokeRefreshToken];
  for (const attempt of order) if (await attempt(token, client, record)) return;
}

export async function revocationEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  const record: Record<string, unknown> = {};
  let response: ProtocolResponse;
  let client: OAuthClient | undefined;
  try {
    requirePost(req);
    const form = parseForm(req);
    ({ client } = await authenticateClient(req, form, undefined, { allowNone: true }));
    record.applicationId = client.id;
    await revoke(form, client, record);
    record.result = 'Success';
    response = { status: 200, headers: { ...NO_STORE, ...corsHeaders(req, client) }, body: '' };
  } catch (thrown) {
    const error = toOAuthError(thrown);
    record.result = 'Error';
    record.error = { code: error.error, description: error.description };
    response = errorResponse(error, corsHeaders(req, client));
  }
  if (record.applicationId) {
    await audit({ key: 'RevokeToken', result: record.result as 'Success' | 'Error', ...record, ip: req.ip, userAgent: req.header('user-agent') ?? null });
  }
  return response;
}
