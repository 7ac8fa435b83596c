// POST /oidc/token: parse body -> authenticate client -> pick grant -> handle; every request audited.
import { audit } from '../services/audit/index.ts';
import type { OAuthClient } from '../services/clients.ts';
import { authenticateClient, readCredentials } from './client-auth.ts';
import { corsHeaders } from './cors.ts';
import { InvalidRequest, NO_STORE, UnsupportedGrantType, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost } from './form.ts';
import { GRANTS } from './grants/index.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';

export async function tokenEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  const record: Record<string, unknown> = { key: 'ExchangeTokenBy.Unknown' };
  let response: ProtocolResponse;
  let client: OAuthClient | undefined;
  try {
    requirePost(req);
    const form = parseForm(req);
    const grantType = form.get('grant_type');
    if (!grantType) throw new InvalidRequest('grant_type is missing');
    const grant = GRANTS.get(grantType);
    if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType.slice(0, 100)} is not supported`);
    record.key = grant.auditKey;
    // Read once: malformed credentials throw here (invalid_request/invalid_client) before anything is attributed.
    const credentials = readCredentials(req, form);
    record.applicationId = auditableClientId(credentials?.clientId ?? form.get('client_id'));
    ({ client } = await authenticateClient(req, form, credentials, { allowNone: grant.publicClients }));
    record.applicationId = client.id;
    const body = await grant.handle({ req, form, client, audit: record });
    record.result = 'Success';
    response = json(200, body, { ...NO_STORE, ...corsHeaders(req, client) });
  } catch (thrown) {
    const error = toOAuthError(thrown);
    record.result = 'Error';
    record.error = { code: error.error, description: error.description };
    response = errorResponse(error, corsHeaders(req, client));
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

/** The client id a request claims, so failed authentications are attributed in the audit log (printable only). */
function auditableClientId(id: string | undefined): string | undefined {
  return id && /^[\x21-\x7e]{1,128}$/.test(id) ? id : undefined;
}
