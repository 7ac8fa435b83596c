// POST /oidc/token/introspection (RFC 7662): any authenticated client; answers for opaque tokens and
// for JWTs this issuer signed. Anything not currently valid is just { active: false }.
import { checkAccessToken } from '../services/tokens/verify.ts';
import { authenticateClient } from './client-auth.ts';
import { InvalidRequest, NO_STORE, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, requirePost } from './form.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';

export async function introspectionEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  try {
    requirePost(req);
    const form = parseForm(req);
    await authenticateClient(req, form);
    const token = form.get('token');
    if (!token) throw new InvalidRequest('token is missing');
    const check = await checkAccessToken(token);
    if (!check.active) return json(200, { active: false }, NO_STORE);
    return json(200, { active: true, ...check.token.claims, token_type: 'Bearer' }, NO_STORE);
  } catch (error) {
    return errorResponse(toOAuthError(error));
  }
}
