// POST /oidc/token: authenticate the client, pick the grant, let it answer. The frame (POST, form, errors,
// CORS, the audit record of every request) is audited.ts's; the grant fills the typed TokenFacts.
import { authenticateClient, readCredentials } from './client-auth.ts';
import { auditableClientId, auditedEndpoint } from './audited.ts';
import { InvalidRequest, NO_STORE, UnsupportedGrantType } from './errors.ts';
import { GRANTS } from './grants/index.ts';
import type { TokenFacts } from './grants/types.ts';
import { json } from '../http/envelope.ts';

export const tokenEndpoint = auditedEndpoint<TokenFacts>({
  key: 'ExchangeTokenBy.Unknown',
  cors: true,
  record: 'every request',
  facts: () => ({}),
  async handle(req, form, request, facts) {
    const grantType = form.get('grant_type');
    if (!grantType) throw new InvalidRequest('grant_type is missing');
    const grant = GRANTS.get(grantType);
    if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType.slice(0, 100)} is not supported`);
    request.key = grant.auditKey;
    // Read once: malformed credentials throw here (invalid_request/invalid_client) before anything is attributed.
    const credentials = readCredentials(req, form);
    request.applicationId = auditableClientId(credentials?.clientId ?? form.get('client_id'));
    const { client } = await authenticateClient(req, form, credentials, { allowNone: grant.publicClients });
    request.client = client;
    request.applicationId = client.id;
    return json(200, await grant.handle({ req, form, client, facts }), NO_STORE);
  },
});
