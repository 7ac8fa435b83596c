// The interaction service: what the sign-in pages (Next), the protocol endpoints (/oidc/auth,
// /oidc/auth/:uid) and, next, Logto's Experience API call. Independent of any web framework: callers pass
// the uid, the session they read from cookies and the request's facts, and set cookies from the results.
import { checkKeyedDigest, keyedDigest } from '../sign-in/keys.ts';
import type { LiveSession } from '../sign-in/sessions.ts';
import { auditInteraction } from './events.ts';
import { insertInteraction } from './store.ts';
import type { AuthorizationRequest, InteractionView, RequestMeta } from './types.ts';

export { completeInteraction, effectiveScopes } from './complete.ts';
export { consentDetails, decideConsent, OIDC_SCOPE_DESCRIPTIONS, type ConsentDetails } from './consent.ts';
export { register, signInWithPassword, startSession, type Credentials, type RegisterFailure, type SignInFailure } from './sign-in.ts';
export { findInteraction, INTERACTION_TTL_SECONDS } from './store.ts';
export type * from './types.ts';

/**
 * Store a validated authorization request. With a live session that the request does not ask to replace
 * (prompt=login, max_age), the login is recorded at once: single sign-on without the sign-in page.
 */
export async function startInteraction(request: AuthorizationRequest, session: LiveSession | null, meta: RequestMeta): Promise<InteractionView> {
  const view = await insertInteraction(request, session ? { userId: session.userId, sessionId: session.id, authTime: session.authTime } : null);
  await auditInteraction(view, meta, {
    key: 'Interaction.Create',
    result: 'Success',
    ...(session ? { userId: session.userId, sessionId: session.id } : {}),
    params: { scope: request.scopes.join(' '), resource: request.resources, prompt: request.prompt.join(' '), redirectUri: request.redirectUri },
  });
  return view;
}

/** The token a sign-in or consent form carries (CSRF): bound to the interaction, unguessable without it. */
export const formToken = (uid: string) => keyedDigest('sign-in-form', uid);
export const checkFormToken = (uid: string, token: string | undefined) => checkKeyedDigest('sign-in-form', uid, token);
