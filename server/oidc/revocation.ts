// POST /oidc/token/revocation (RFC 7009). Unknown or already invalid tokens answer 200 (§2.2). A token
// issued to another client is left alone with exactly the same answer (§2.1): the caller learns nothing
// about whether it is active, and only the audit log notes the attempt.
import { audit } from '../services/audit/index.ts';
import { checkAccessToken, revokeAccessToken } from '../services/tokens/verify.ts';
import { authenticateClient } from './client-auth.ts';
import { InvalidRequest, NO_STORE, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost } from './form.ts';
import type { ProtocolRequest, ProtocolResponse } from '../http/envelope.ts';

export async function revocationEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  const record: Record<string, unknown> = {};
  let response: ProtocolResponse;
  try {
    requirePost(req);
    const form = parseForm(req);
    const { client } = await authenticateClient(req, form);
    record.applicationId = client.id;
    const token = form.get('token');
    if (!token) throw new InvalidRequest('token is missing');
    const check = await checkAccessToken(token);
    if (check.active && check.token.clientId !== client.id) {
      record.ignored = 'the token was issued to another client';
    } else if (check.active) {
      await revokeAccessToken(check.token);
      record.tokenId = check.token.jti;
    }
    record.result = 'Success';
    response = { status: 200, headers: { ...NO_STORE }, body: '' };
  } catch (thrown) {
    const error = toOAuthError(thrown);
    record.result = 'Error';
    record.error = { code: error.error, description: error.description };
    response = errorResponse(error);
  }
  if (record.applicationId) {
    await audit({ key: 'RevokeToken', result: record.result as 'Success' | 'Error', ...record, ip: req.ip, userAgent: req.header('user-agent') ?? null });
  }
  return response;
}
