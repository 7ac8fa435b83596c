// POST /oidc/token: parse body -> authenticate client -> pick grant -> handle; every request audited.
import { audit } from '../services/audit/index.ts';
import { authenticateClient, readCredentials } from './client-auth.ts';
import { InvalidRequest, NO_STORE, UnsupportedGrantType, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost } from './form.ts';
import { GRANTS } from './grants/index.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';

export async function tokenEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  const record: Record<string, unknown> = { key: 'ExchangeTokenBy.Unknown' };
  let response: ProtocolResponse;
  try {
    requirePost(req);
    const form = parseForm(req);
    const grantType = form.get('grant_type');
    if (!grantType) throw new InvalidRequest('grant_type is missing');
    const grant = GRANTS.get(grantType);
    if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType.slice(0, 100)} is not supported`);
    record.key = grant.auditKey;
    record.applicationId = claimedClientId(req, form);
    const { client } = await authenticateClient(req, form);
    record.applicationId = client.id;
    const body = await grant.handle({ req, form, client, audit: record });
    record.result = 'Success';
    response = json(200, body, NO_STORE);
  } catch (thrown) {
    const error = toOAuthError(thrown);
    record.result = 'Error';
    record.error = { code: error.error, description: error.description };
    response = errorResponse(error);
  }
  await audit({
    ...record,
    key: String(record.key),
    result: record.result as 'Success' | 'Error',
    ip: req.ip,
    userAgent: req.header('user-agent')?.slice(0, 512) ?? null,
  });
  return response;
}

/** The client id a request claims (Basic or body), so failed authentications are attributed in the audit log. */
function claimedClientId(req: ProtocolRequest, form: Parameters<typeof readCredentials>[1]): string | undefined {
  try {
    const id = readCredentials(req, form)?.clientId ?? form.get('client_id');
    return id && /^[\x21-\x7e]{1,128}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
