// Client authentication: client_secret_basic (RFC 6749 §2.3.1), client_secret_post, and `none` for public
// clients (SPA, Native: client_id alone, RFC 6749 §2.1), which only endpoints that allow it accept.
import { checkClientSecret, findClient, isPublicClient, type OAuthClient } from '../services/clients.ts';
import { secretHash } from '../services/instance-key.ts';
import { InvalidClient, InvalidRequest } from './errors.ts';
import type { Form } from './form.ts';
import type { ProtocolRequest } from '../http/envelope.ts';

// Client ids and secrets are printable; control characters (NUL above all, which PostgreSQL cannot store
// or compare) are malformed input, refused before any lookup.
const CONTROL = /[\u0000-\u001f\u007f]/;

export type Credentials = { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' | 'none' };

function decodeFormComponent(value: string, what: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest(`${what} in the Authorization header is not properly form-encoded`);
  }
}

/** Which credentials the request presents; throws invalid_request for malformed or mixed methods. */
export function readCredentials(req: ProtocolRequest, form: Form): Credentials | undefined {
  const authorization = req.header('authorization');
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');
  if (authorization !== undefined) {
    const match = /^Basic +([A-Za-z0-9+/=._~-]*) *$/i.exec(authorization);
    if (!match) throw new InvalidClient('only HTTP Basic client authentication is accepted in the Authorization header');
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new InvalidRequest('the Basic credentials must be client_id:client_secret');
    const clientId = decodeFormComponent(decoded.slice(0, colon), 'client_id');
    const clientSecret = decodeFormComponent(decoded.slice(colon + 1), 'client_secret');
    if (postSecret !== undefined) throw new InvalidRequest('client authentication must use only one method');
    if (postId !== undefined && postId !== clientId) throw new InvalidRequest('client_id in the body does not match the Authorization header');
    if (!clientSecret) throw new InvalidClient('client secret is missing');
    if (CONTROL.test(clientId) || CONTROL.test(clientSecret)) throw new InvalidRequest('client credentials contain control characters');
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (postId !== undefined || postSecret !== undefined) {
    if (!postId) throw new InvalidRequest('client_id is missing');
    if (!postSecret) return { clientId: postId, clientSecret: '', method: 'none' };
    return { clientId: postId, clientSecret: postSecret, method: 'client_secret_post' };
  }
  return undefined;
}

/** `presented`: credentials the caller already read (the token endpoint reads them first, for its audit record). */
/** `allowNone`: the endpoint accepts public clients identified by client_id alone (token, revocation). */
export async function authenticateClient(
  req: ProtocolRequest,
  form: Form,
  presented: Credentials | undefined = readCredentials(req, form),
  options: { allowNone?: boolean } = {},
): Promise<{ client: OAuthClient; credentials: Credentials }> {
  const credentials = presented;
  if (!credentials) throw new InvalidClient('client authentication is required');
  if (credentials.method === 'none') {
    if (!options.allowNone) throw new InvalidClient('client_secret is missing');
    if (credentials.clientId.length > 128 || CONTROL.test(credentials.clientId)) throw new InvalidClient('client authentication failed');
    const client = await findClient(credentials.clientId);
    // A confidential client must prove itself; only SPA and Native apps may present client_id alone.
    if (!client || !isPublicClient(client)) throw new InvalidClient('client_secret is missing');
    return { client, credentials };
  }
  if (credentials.clientId.length > 128 || credentials.clientSecret.length > 512) {
    throw new InvalidClient('client authentication failed');
  }
  const client = await findClient(credentials.clientId);
  if (!client) {
    await secretHash(credentials.clientSecret); // same work as a real check: no client enumeration by timing
    throw new InvalidClient('client authentication failed');
  }
  const check = await checkClientSecret(client, credentials.clientSecret);
  if (check === 'expired') throw new InvalidClient('client secret has expired');
  if (check !== 'valid') throw new InvalidClient('client authentication failed');
  return { client, credentials };
}
