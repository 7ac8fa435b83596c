// RP-initiated logout (OIDC RP-Initiated Logout 1.0; Logto's `/oidc/session/end`). GET (or POST) with
// `client_id` and/or `id_token_hint`, `post_logout_redirect_uri` (must be registered for the app, exact
// match) and `state`. With a live session it answers a confirmation page whose form POSTs to
// /oidc/session/end/confirm with a token bound to the session: a cross-site link cannot sign anyone out
// (and the SameSite=Lax session cookie is not sent on a cross-site POST anyway). Confirming revokes the
// session, clears its cookies and redirects to the post-logout URI (with `state`) or shows "signed out".
import { env } from '../env.ts';
import { SESSION_COOKIE, SESSION_SIG_COOKIE, clearCookie, parseCookies } from '../http/cookies.ts';
import type { ProtocolRequest, ProtocolResponse } from '../http/envelope.ts';
import { findClient, type OAuthClient } from '../services/clients.ts';
import { checkKeyedDigest, keyedDigest } from '../services/sign-in/keys.ts';
import { findSession, revokeSession, type LiveSession } from '../services/sign-in/sessions.ts';
import { audit } from '../services/audit/index.ts';
import { readIdTokenHint } from '../services/tokens/id-token.ts';
import { InvalidRequest, MethodNotAllowed, OAuthError, errorResponse, toOAuthError } from './errors.ts';
import { parseForm, parseParams, type Form } from './form.ts';
import { errorPage, escapeHtml, htmlPage, redirect } from './authorization/respond.ts';

type Logout = { client: OAuthClient | null; postLogoutRedirectUri?: string; state?: string };

async function readLogout(form: Form): Promise<Logout> {
  const clientId = form.get('client_id');
  const hint = form.get('id_token_hint');
  const state = form.get('state');
  if (state !== undefined && state.length > 2048) throw new InvalidRequest('state is too long');
  let client: OAuthClient | null = null;
  if (clientId !== undefined) {
    client = clientId.length <= 128 ? await findClient(clientId) : null;
    if (!client) throw new InvalidRequest('client_id is not a known application');
  }
  if (hint !== undefined) {
    const read = await readIdTokenHint(hint);
    if (!read) throw new InvalidRequest('id_token_hint is not an ID token issued by this server');
    if (client && client.id !== read.clientId) throw new InvalidRequest('id_token_hint was not issued to client_id');
    client ??= await findClient(read.clientId);
  }
  const uri = form.get('post_logout_redirect_uri');
  if (uri === undefined) return { client, ...(state !== undefined ? { state } : {}) };
  if (!client) throw new InvalidRequest('post_logout_redirect_uri needs client_id or id_token_hint');
  if (!client.postLogoutRedirectUris.includes(uri)) throw new InvalidRequest('post_logout_redirect_uri is not registered for this application (exact match)');
  return { client, postLogoutRedirectUri: uri, ...(state !== undefined ? { state } : {}) };
}

function params(req: ProtocolRequest): Form {
  if (req.method === 'GET' || req.method === 'HEAD') return parseParams(req.search);
  if (req.method === 'POST') return parseForm(req);
  throw new MethodNotAllowed('GET, POST');
}

function signedOut(logout: Logout, cookies: string[]): ProtocolResponse {
  if (logout.postLogoutRedirectUri) {
    const url = new URL(logout.postLogoutRedirectUri);
    if (logout.state !== undefined) url.searchParams.append('state', logout.state);
    return redirect(url.href, cookies);
  }
  return htmlPage(200, 'You are signed out', '<p>You can close this window.</p>', cookies);
}

const sessionOf = (req: ProtocolRequest): Promise<LiveSession | null> => {
  const cookies = parseCookies(req.header('cookie'));
  return findSession(cookies.get(SESSION_COOKIE), cookies.get(SESSION_SIG_COOKIE));
};

// A function, not a constant: cookie attributes come from env(), which must not be read at import time.
const clearSessionCookies = () => [clearCookie(SESSION_COOKIE), clearCookie(SESSION_SIG_COOKIE)];

function failure(thrown: unknown): ProtocolResponse {
  if (thrown instanceof MethodNotAllowed) return errorResponse(thrown);
  const error = toOAuthError(thrown);
  return error instanceof OAuthError && error.status < 500 ? errorPage(error, 'Sign-out request refused') : errorPage(error, 'Something went wrong');
}

export async function endSessionEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  try {
    const logout = await readLogout(params(req));
    const session = await sessionOf(req);
    if (!session) return signedOut(logout, clearSessionCookies());
    const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
    const app = logout.client ? ` of <strong>${escapeHtml(logout.client.name)}</strong>` : '';
    return htmlPage(200, 'Sign out', `<p>Sign out${app} and end your session on this device?</p>
<form method="post" action="${escapeHtml(`${env().issuer}/session/end/confirm`)}">
${hidden('xsrf', await keyedDigest('end-session-form', session.id))}${hidden('client_id', logout.client?.id)}${hidden('post_logout_redirect_uri', logout.postLogoutRedirectUri)}${hidden('state', logout.state)}
<button type="submit" autofocus>Sign out</button>
</form>`);
  } catch (thrown) {
    return failure(thrown);
  }
}

/** POST /oidc/session/end/confirm: the confirmation form's target. */
export async function endSessionConfirmEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  try {
    if (req.method !== 'POST') throw new MethodNotAllowed('POST');
    const form = parseForm(req);
    const logout = await readLogout(form);
    const session = await sessionOf(req);
    if (!session) return signedOut(logout, clearSessionCookies());
    if (!(await checkKeyedDigest('end-session-form', session.id, form.get('xsrf')))) throw new InvalidRequest('the sign-out form is invalid or has expired; try signing out again');
    await revokeSession(session.id);
    await audit({ key: 'Interaction.SignOut', result: 'Success', userId: session.userId, sessionId: session.id, applicationId: logout.client?.id, ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 512) ?? null });
    return signedOut(logout, clearSessionCookies());
  } catch (thrown) {
    return failure(thrown);
  }
}
