// GET|POST /oidc/auth (RFC 6749 §4.1.1, OIDC Core §3.1.2) and GET /oidc/auth/:uid, where the sign-in and
// consent pages send the browser back. Steps: read the request (error page or error redirect) -> store it
// as an interaction (with the login at once when a live session may be reused) -> send the browser on:
// to the sign-in page (303 /sign-in), to consent (303 /consent?app_id=...), or back to the app with a
// code, `state` and `iss`. The pages are another process; only the database and cookies connect them.
import type { ProtocolRequest, ProtocolResponse } from '../../http/envelope.ts';
import { INTERACTION_COOKIE, SESSION_COOKIE, SESSION_SIG_COOKIE, interactionCookie, parseCookies, readInteractionMap, serializeCookie } from '../../http/cookies.ts';
import { signCookie } from '../../services/sign-in/cookie-keys.ts';
import { findClient } from '../../services/clients.ts';
import {
  INTERACTION_TTL_SECONDS, completeInteraction, findInteraction, startInteraction,
  type AuthorizationRequest, type Completion, type InteractionView, type RequestMeta,
} from '../../services/interaction/index.ts';
import { findSession, type LiveSession } from '../../services/sign-in/sessions.ts';
import { ConsentRequired, InvalidRequest, LoginRequired, MethodNotAllowed, errorResponse, toOAuthError } from '../errors.ts';
import { AuthorizationPageError, AuthorizationRedirectError, readAuthorizationRequest } from './request.ts';
import { errorPage, errorToClient, redirect, redirectToClient } from './respond.ts';

const meta = (req: ProtocolRequest): RequestMeta => ({ ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 512) ?? null });

/** A session may stand in for the sign-in page unless the app asks for a fresh login. */
function reusable(session: LiveSession | null, request: AuthorizationRequest, now = Date.now()): LiveSession | null {
  if (!session || request.prompt.includes('login')) return null;
  if (request.maxAge !== undefined && now - session.authTime.getTime() > request.maxAge * 1000) return null;
  return session;
}

/** Where the browser goes next, and the `_interaction` cookie that keeps (or drops) this app's entry. */
function proceed(completion: Completion, view: InteractionView, cookieMap: Record<string, string>): ProtocolResponse {
  const appId = view.application.id;
  if (completion.next === 'redirect') {
    return redirectToClient(completion.redirectUri, completion.params, [interactionCookie(cookieMap, appId, null, INTERACTION_TTL_SECONDS)]);
  }
  const keep = [interactionCookie(cookieMap, appId, view.id, INTERACTION_TTL_SECONDS)];
  if (view.request.prompt.includes('none')) {
    const error = completion.next === 'consent' ? new ConsentRequired('the user has not consented to this request') : new LoginRequired('the user is not signed in');
    return errorToClient(view.request.redirectUri, error, view.request.state);
  }
  return redirect(`/${completion.next}?app_id=${encodeURIComponent(appId)}`, keep);
}

/**
 * A live session's cookies, set again on every answer that continues the interaction (as oidc-provider does):
 * re-signed under the newest cookie key, so a browser moves to a rotated key while it keeps signing in.
 */
async function withSessionCookies(out: ProtocolResponse, value: string | undefined, session: LiveSession | null): Promise<ProtocolResponse> {
  if (!session || !value) return out;
  const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  const cookies = [serializeCookie(SESSION_COOKIE, value, { maxAgeSeconds }), serializeCookie(SESSION_SIG_COOKIE, await signCookie('_session', value), { maxAgeSeconds })];
  return { ...out, cookies: [...(out.cookies ?? []), ...cookies] };
}

function failure(thrown: unknown): ProtocolResponse {
  if (thrown instanceof AuthorizationRedirectError) return errorToClient(thrown.redirectUri, thrown.error, thrown.state);
  if (thrown instanceof AuthorizationPageError) return errorPage(thrown.error);
  if (thrown instanceof MethodNotAllowed) return errorResponse(thrown);
  return errorPage(toOAuthError(thrown), 'Something went wrong');
}

export async function authorizationEndpoint(req: ProtocolRequest): Promise<ProtocolResponse> {
  try {
    const { request } = await readAuthorizationRequest(req);
    const cookies = parseCookies(req.header('cookie'));
    const session = reusable(await findSession(cookies.get(SESSION_COOKIE), cookies.get(SESSION_SIG_COOKIE)), request);
    if (request.prompt.includes('none') && !session) throw new AuthorizationRedirectError(new LoginRequired('the user is not signed in'), request.redirectUri, request.state);
    const view = await startInteraction(request, session, meta(req));
    const cookieMap = readInteractionMap(cookies.get(INTERACTION_COOKIE));
    const completion: Completion = session ? await completeInteraction(view, session, meta(req)) : { next: 'sign-in' };
    return withSessionCookies(proceed(completion, view, cookieMap), cookies.get(SESSION_COOKIE), session);
  } catch (thrown) {
    return failure(thrown);
  }
}

/** GET /oidc/auth/:uid: the sign-in or consent page is done; finish the interaction this browser started. */
export async function resumeEndpoint(req: ProtocolRequest, uid: string): Promise<ProtocolResponse> {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowed('GET');
    const view = await findInteraction(uid);
    if (!view) throw new AuthorizationPageError(new InvalidRequest('this sign-in request has expired or was already completed; return to the application and sign in again'));
    const cookies = parseCookies(req.header('cookie'));
    const cookieMap = readInteractionMap(cookies.get(INTERACTION_COOKIE));
    // Only the browser that started the interaction may finish it.
    if (cookieMap[view.application.id] !== uid) throw new AuthorizationPageError(new InvalidRequest('this sign-in request was not started in this browser'));
    const client = await findClient(view.application.id);
    if (!client?.redirectUris.includes(view.request.redirectUri)) {
      throw new AuthorizationPageError(new InvalidRequest('redirect_uri is no longer registered for this application'));
    }
    const session = await findSession(cookies.get(SESSION_COOKIE), cookies.get(SESSION_SIG_COOKIE));
    return withSessionCookies(proceed(await completeInteraction(view, session, meta(req)), view, cookieMap), cookies.get(SESSION_COOKIE), session);
  } catch (thrown) {
    return failure(thrown);
  }
}
