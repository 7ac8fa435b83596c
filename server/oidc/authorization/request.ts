// Reading an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636, RFC 8707) into a
// validated AuthorizationRequest. Two kinds of failure:
// - AuthorizationPageError: no trustworthy redirect_uri yet (malformed request, missing or unknown client,
//   redirect_uri not registered for it). Answered with an error page, never a redirect.
// - AuthorizationRedirectError: everything after that, sent back to the app's redirect_uri.
import type { ProtocolRequest } from '../../http/envelope.ts';
import { findClient, findResource, isPublicClient, type OAuthClient } from '../../services/clients.ts';
import type { AuthorizationRequest } from '../../services/interaction/index.ts';
import { isOidcScope } from '../../services/sign-in/user-claims.ts';
import {
  InvalidClient, InvalidRequest, InvalidScope, InvalidTarget, MethodNotAllowed, RegistrationNotSupported, RequestNotSupported,
  RequestUriNotSupported, UnauthorizedClient, UnsupportedResponseType, OAuthError,
} from '../errors.ts';
import { parseParams, type Form } from '../form.ts';
import { knownResource } from '../grants/resource.ts';
import { organizationIdOf } from '../grants/organization.ts';
import { ORGANIZATION_RESOURCE, organizationExists, organizationScopeNames } from '../../services/organizations/tokens.ts';

const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';

export class AuthorizationPageError extends Error {
  constructor(readonly error: OAuthError) {
    super(error.description);
  }
}

export class AuthorizationRedirectError extends Error {
  constructor(readonly error: OAuthError, readonly redirectUri: string, readonly state: string | undefined) {
    super(error.description);
  }
}

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
/** Longest accepted values: generous for real clients, small enough that nothing oversized is stored. */
const MAX = { state: 2048, nonce: 512, scope: 4096, login_hint: 320, resource: 2048, max_age: 10 } as const;
const PRINTABLE = /^[\x20-\x7e]*$/;

/** The parameters of GET (query) or POST (form body); a malformed request gets the error page. */
function rawParams(req: ProtocolRequest): string {
  if (req.method === 'GET' || req.method === 'HEAD') return req.search;
  if (req.method !== 'POST') throw new MethodNotAllowed('GET, POST');
  if (req.bodyError) throw new AuthorizationPageError(new InvalidRequest(req.bodyError === 'too_large' ? 'request body is too large' : 'request body could not be read'));
  const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new AuthorizationPageError(new InvalidRequest('content type must be application/x-www-form-urlencoded'));
  }
  return req.body ?? '';
}

/** client_id and redirect_uri, checked before anything may be sent to the redirect_uri. */
async function trustedTarget(text: string): Promise<{ client: OAuthClient; redirectUri: string; state: string | undefined }> {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) throw new AuthorizationPageError(new InvalidRequest('the request has malformed percent-encoding'));
  const params = new URLSearchParams(text);
  const one = (name: string) => {
    const values = params.getAll(name);
    if (values.length > 1) throw new AuthorizationPageError(new InvalidRequest(`parameter ${name} must not be repeated`));
    return values[0] || undefined;
  };
  const clientId = one('client_id');
  if (!clientId) throw new AuthorizationPageError(new InvalidRequest('client_id is missing'));
  const client = clientId.length <= 128 && /^[\x21-\x7e]+$/.test(clientId) ? await findClient(clientId) : null;
  if (!client) throw new AuthorizationPageError(new InvalidClient('client_id is not a known application'));
  const redirectUri = one('redirect_uri');
  if (!redirectUri) throw new AuthorizationPageError(new InvalidRequest('redirect_uri is missing'));
  if (!client.redirectUris.includes(redirectUri)) {
    throw new AuthorizationPageError(new InvalidRequest('redirect_uri is not registered for this application (exact match)'));
  }
  const states = params.getAll('state');
  return { client, redirectUri, state: states.length === 1 && states[0]!.length <= MAX.state ? states[0] || undefined : undefined };
}

function bounded(form: Form, name: keyof typeof MAX): string | undefined {
  const value = form.get(name);
  if (value === undefined) return undefined;
  if (value.length > MAX[name]) throw new InvalidRequest(`${name} is too long (at most ${MAX[name]} characters)`);
  if (!PRINTABLE.test(value)) throw new InvalidRequest(`${name} must contain printable ASCII characters only`);
  return value;
}

async function resources(form: Form): Promise<string[]> {
  const out: string[] = [];
  for (const indicator of form.all('resource')) {
    if (indicator.length > MAX.resource) throw new InvalidTarget('resource is too long');
    // Logto's SDKs add the organization template's reserved resource whenever the organizations scope is asked for.
    if (indicator === ORGANIZATION_RESOURCE) {
      if (!out.includes(indicator)) out.push(indicator);
      continue;
    }
    const resource = await knownResource(indicator);
    // A signed-in user never becomes a Management API caller recorded as the app.
    if (resource.isBuiltIn) throw new InvalidTarget('the Management API cannot be requested by an end-user sign-in');
    if (!out.includes(indicator)) out.push(indicator);
  }
  return out;
}

/**
 * Recognised scopes in request order: OIDC scopes, scopes the requested resources define, and (with the
 * organizations scope) organization scopes of the template, which organization tokens are later cut from.
 * Others are ignored.
 */
async function scopes(form: Form, indicators: string[]): Promise<string[]> {
  const raw = bounded(form, 'scope');
  if (raw === undefined) return [];
  if (!/^[\x21\x23-\x5b\x5d-\x7e ]*$/.test(raw)) throw new InvalidScope('scope contains characters RFC 6749 §3.3 does not allow');
  const asked = [...new Set(raw.split(' ').filter(Boolean))];
  const resourceScopes = new Set<string>();
  for (const indicator of indicators) for (const s of (await findResource(indicator))?.scopes ?? []) resourceScopes.add(s);
  const organizationScopes = asked.includes(ORGANIZATIONS_SCOPE) ? await organizationScopeNames(asked.filter((s) => !isOidcScope(s))) : new Set<string>();
  return asked.filter((s) => isOidcScope(s) || resourceScopes.has(s) || organizationScopes.has(s));
}

/**
 * `organization_id` (Sigil's, where Logto has none: logto#7485): the code exchange then issues an
 * organization token. It needs the organizations scope and an existing organization; membership is
 * checked at the exchange, with the user known.
 */
async function organization(form: Form, scopes: string[]): Promise<string | undefined> {
  const id = organizationIdOf(form.get('organization_id'));
  if (id === undefined) return undefined;
  if (!scopes.includes(ORGANIZATIONS_SCOPE)) throw new InvalidRequest(`organization_id requires the ${ORGANIZATIONS_SCOPE} scope`);
  if (!(await organizationExists(id))) throw new InvalidRequest('organization_id is not a known organization');
  return id;
}

function prompt(form: Form): string[] {
  const raw = form.get('prompt') ?? '';
  if (raw.length > 64) throw new InvalidRequest('prompt is too long');
  const values = raw.split(' ').filter(Boolean);
  for (const v of values) if (!PROMPTS.has(v)) throw new InvalidRequest(`prompt ${v.slice(0, 32)} is not supported`);
  if (values.includes('none') && values.length > 1) throw new InvalidRequest('prompt=none must not be combined with other values');
  return [...new Set(values)];
}

function pkce(form: Form, client: OAuthClient): string | undefined {
  const challenge = form.get('code_challenge');
  const method = form.get('code_challenge_method');
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method was given without code_challenge');
    if (isPublicClient(client)) throw new InvalidRequest('PKCE is required for SPA and Native applications: send code_challenge with code_challenge_method=S256');
    return undefined;
  }
  if (method !== 'S256') throw new InvalidRequest(method === undefined || method === 'plain' ? 'code_challenge_method must be S256 (plain is not supported)' : 'code_challenge_method must be S256');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new InvalidRequest('code_challenge must be the base64url SHA-256 of the code verifier (43 characters)');
  return challenge;
}

function maxAge(form: Form): number | undefined {
  const raw = bounded(form, 'max_age');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new InvalidRequest('max_age must be a non-negative integer (seconds)');
  return Number(raw);
}

export async function readAuthorizationRequest(req: ProtocolRequest): Promise<{ client: OAuthClient; request: AuthorizationRequest }> {
  const text = rawParams(req);
  const { client, redirectUri, state } = await trustedTarget(text);
  try {
    const form = parseParams(text, 'the request');
    if (client.type === 'MachineToMachine') throw new UnauthorizedClient('machine-to-machine applications cannot sign users in');
    if (form.get('request') !== undefined) throw new RequestNotSupported('request objects are not supported');
    if (form.get('request_uri') !== undefined) throw new RequestUriNotSupported('request_uri is not supported');
    if (form.get('registration') !== undefined) throw new RegistrationNotSupported('the registration parameter is not supported');
    const responseType = form.get('response_type');
    if (responseType === undefined) throw new InvalidRequest('response_type is missing');
    if (responseType !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');
    const responseMode = form.get('response_mode');
    if (responseMode !== undefined && responseMode !== 'query') throw new InvalidRequest('only response_mode=query is supported');
    const validState = bounded(form, 'state');
    const indicators = await resources(form);
    const granted = await scopes(form, indicators);
    const request: AuthorizationRequest = {
      clientId: client.id,
      redirectUri,
      scopes: granted,
      resources: indicators,
      prompt: prompt(form),
    };
    const organizationId = await organization(form, granted);
    if (organizationId !== undefined) request.organizationId = organizationId;
    if (validState !== undefined) request.state = validState;
    const nonce = bounded(form, 'nonce');
    if (nonce !== undefined) request.nonce = nonce;
    const loginHint = bounded(form, 'login_hint');
    if (loginHint !== undefined) request.loginHint = loginHint;
    const age = maxAge(form);
    if (age !== undefined) request.maxAge = age;
    const challenge = pkce(form, client);
    if (challenge !== undefined) request.codeChallenge = challenge;
    return { client, request };
  } catch (error) {
    // Method errors stay with the endpoint; every other refusal goes back to the app.
    if (error instanceof OAuthError && !(error instanceof MethodNotAllowed) && error.status < 500) throw new AuthorizationRedirectError(error, redirectUri, state);
    throw error;
  }
}
