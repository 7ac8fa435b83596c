// Completing an interaction (/oidc/auth/:uid, or /oidc/auth at once with a live session): sign-in first,
// then consent when it is asked for (prompt=consent) or nothing granted covers the request yet, then ONE
// authorization code. Marking the interaction complete, widening the grant and creating the code commit
// together, so an interaction yields at most one code however often its URL is loaded.
import { dataChange } from '../transaction.ts';
import { createCode } from '../sign-in/authorization-codes.ts';
import { findLiveGrant, grantCovers, recordConsent } from '../sign-in/grants.ts';
import type { LiveSession } from '../sign-in/sessions.ts';
import { auditInteraction } from './events.ts';
import { markCompleted } from './store.ts';
import type { Completion, InteractionView, RequestMeta } from './types.ts';

/**
 * oidc-provider's rule, which Logto's SDK relies on: `offline_access` (a refresh token) only when the
 * request also had prompt=consent; otherwise the scope is dropped.
 */
export function effectiveScopes(view: InteractionView): string[] {
  const { scopes, prompt } = view.request;
  return prompt.includes('consent') ? scopes : scopes.filter((s) => s !== 'offline_access');
}

export async function completeInteraction(view: InteractionView, session: LiveSession | null, meta: RequestMeta): Promise<Completion> {
  const { request, login } = view;
  if (!login || !session || session.id !== login.sessionId || session.userId !== login.userId) return { next: 'sign-in' };
  const consent = view.consent?.userId === login.userId ? view.consent : null;
  const scopes = effectiveScopes(view);
  const state: Record<string, string> = request.state !== undefined ? { state: request.state } : {};

  if (consent && 'denied' in consent) {
    const won = await dataChange((tx) => markCompleted(tx, view.id));
    if (!won) return { next: 'sign-in' };
    await auditInteraction(view, meta, { key: 'Interaction.End', result: 'Error', userId: login.userId, error: { code: 'access_denied' } });
    return { next: 'redirect', redirectUri: request.redirectUri, params: { error: 'access_denied', error_description: 'the user denied the request', ...state } };
  }
  if (!consent) {
    const grant = await findLiveGrant(login.userId, request.clientId);
    if (request.prompt.includes('consent') || !grantCovers(grant, scopes, request.resources)) return { next: 'consent' };
  }

  const code = await dataChange(async (tx) => {
    if (!(await markCompleted(tx, view.id))) return null;
    const grant = consent
      ? await recordConsent(tx, { userId: login.userId, applicationId: request.clientId, scopes, resources: request.resources })
      : await findLiveGrant(login.userId, request.clientId, new Date(), tx);
    if (!grant || !grantCovers(grant, scopes, request.resources)) return null;
    return createCode(tx, {
      applicationId: request.clientId,
      userId: login.userId,
      grantId: grant.id,
      sessionId: login.sessionId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge ?? null,
      scopes,
      resources: request.resources,
      nonce: request.nonce ?? null,
      authTime: login.authTime,
      offlineAccess: scopes.includes('offline_access'),
      organizationId: request.organizationId ?? null,
    });
  });
  // Completed by a concurrent request (or the grant vanished meanwhile): start over at the sign-in page.
  if (!code) return { next: 'sign-in' };
  await auditInteraction(view, meta, { key: 'Interaction.End', result: 'Success', userId: login.userId, sessionId: login.sessionId });
  return { next: 'redirect', redirectUri: request.redirectUri, params: { code, ...state } };
}
