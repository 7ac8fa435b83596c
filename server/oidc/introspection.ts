// POST /oidc/token/introspection (RFC 7662): any authenticated client; answers for opaque tokens and
// for JWTs this issuer signed. Anything not currently valid is just { active: false }. Resource servers
// call it on every request they serve, so only failures get an audit record (a client that cannot
// authenticate, a malformed call), not each successful lookup.
import { checkAccessToken } from '../services/tokens/verify.ts';
import { authenticateClient, readCredentials } from './client-auth.ts';
import { auditableClientId, auditedEndpoint } from './audited.ts';
import { InvalidRequest, NO_STORE } from './errors.ts';
import { json } from '../http/envelope.ts';

export const introspectionEndpoint = auditedEndpoint<Record<string, never>>({
  key: 'IntrospectToken',
  cors: false,
  record: 'failures',
  facts: () => ({}),
  async handle(req, form, request) {
    const credentials = readCredentials(req, form);
    request.applicationId = auditableClientId(credentials?.clientId);
    const { client } = await authenticateClient(req, form, credentials);
    request.client = client;
    request.applicationId = client.id;
    const token = form.get('token');
    if (!token) throw new InvalidRequest('token is missing');
    const check = await checkAccessToken(token);
    if (!check.active) return json(200, { active: false }, NO_STORE);
    return json(200, { active: true, ...check.token.claims, token_type: 'Bearer' }, NO_STORE);
  },
});
