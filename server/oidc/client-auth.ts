// Client authentication: client_secret_basic (RFC 6749 §2.3.1), client_secret_post, and `none` for public
// clients (SPA, Native: client_id alone, RFC 6749 §2.1), which only endpoints that allow it accept.
import { checkClientSecret, checkUnknownClientSecret, findClient, isPublicClient, type OAuthClient } from '../services/clients.ts';
import { secretHash } from '../services/instance-key.ts';
import { InvalidClient, InvalidRequest } from './errors.ts';
import type { Form } from './form.ts';
import type { ProtocolRequest } from '../http/envelope.ts';

// Client ids and secrets are printable; control characters (NUL above all, which PostgreSQL cannot store
// or compare) are malformed input, refused before any lookup.
const CONTROL = /[\u0000-\u001f\u007f]/;

export type Credentials = { clientId: string; clientSecret: string; method: 'client_secret_basic' | 'client_secret_post' | 'none' };

/** One half of the Basic credentials, form-decoded (RFC 6749 §2.3.1); undefined when not decodable. */
function decodeFormComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** RFC 7617 credentials: canonical base64 (it round-trips exactly) of valid UTF-8 `client_id:client_secret`. */
function decodeBasic(authorization: string): { clientId: string; clientSecret: string } {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization);
  if (!match) {
    if (!/^Basic(?: |$)/i.test(authorization)) throw new InvalidClient('only HTTP Basic client authentication is accepted in the Authorization header');
    throw new InvalidClient('the Basic credentials are not base64');
  }
  const bytes = Buffer.from(match[1]!, 'base64');
  if (bytes.toString('base64') !== match[1]) throw new InvalidClient('the Basic credentials are not canonical base64');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InvalidClient('the Basic credentials are not UTF-8');
  }
  const colon = text.indexOf(':');
  if (colon <= 0) throw new InvalidClient('the Basic credentials must be client_id:client_secret');
  const clientId = decodeFormComponent(text.slice(0, colon));
  const clientSecret = decodeFormComponent(text.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) throw new InvalidClient('the Basic credentials are not properly form-encoded');
  if (CONTROL.test(clientId) || CONTROL.test(clientSecret)) throw new InvalidClient('the Basic credentials contain control characters');
  return { clientId, clientSecret };
}

/** Which credentials the request presents: invalid_client for malformed Basic, invalid_request for mixed methods. */
export function readCredentials(req: ProtocolRequest, form: Form): Credentials | undefined {
  const authorization = req.header('authorization');
  const postId = form.get('client_id');
  const postSecret = form.get('client_secret');
  if (authorization !== undefined) {
    const { clientId, clientSecret } = decodeBasic(authorization);
    if (postSecret !== undefined) throw new InvalidRequest('client authentication must use only one method');
    if (postId !== undefined && postId !== clientId) throw new InvalidRequest('client_id in the body does not match the Authorization header');
    if (!clientSecret) throw new InvalidClient('client secret is missing');
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
    // The same work as a real check: no client enumeration by timing.
    await checkUnknownClientSecret(credentials.clientSecret);
    throw new InvalidClient('client authentication failed');
  }
  const check = await checkClientSecret(client, credentials.clientSecret);
  if (check === 'expired') throw new InvalidClient('client secret has expired');
  if (check !== 'valid') throw new InvalidClient('client authentication failed');
  return { client, credentials };
}
