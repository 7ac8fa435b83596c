// Consent. First-party apps are consented silently (the tenant owns them); third-party apps
// (`isThirdParty`) get a screen listing what they ask for, and the user allows or denies. A decision is
// recorded on the interaction; the grant itself is written when the interaction completes.
import { db } from '../../db/index.ts';
import { auditInteraction } from './events.ts';
import { findInteraction, recordConsentResult } from './store.ts';
import type { InteractionView, RequestMeta } from './types.ts';

/** What each OIDC scope lets the app read, for the consent screen. */
export const OIDC_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your user id)',
  profile: 'Your name, username and picture',
  email: 'Your email address',
  phone: 'Your phone number',
  address: 'Your address',
  custom_data: 'Your custom data',
  identities: 'Your linked social identities',
  roles: 'Your roles',
  offline_access: 'Stay signed in (keep access when you are not using the app)',
};

export type ConsentDetails = {
  application: InteractionView['application'];
  scopes: Array<{ name: string; description: string }>;
  resources: Array<{ indicator: string; name: string; scopes: Array<{ name: string; description: string | null }> }>;
};

export async function consentDetails(view: InteractionView): Promise<ConsentDetails> {
  const { scopes, resources } = view.request;
  const rows = resources.length
    ? await db().resource.findMany({ where: { indicator: { in: resources } }, include: { scopes: { where: { name: { in: scopes } } } } })
    : [];
  return {
    application: view.application,
    scopes: scopes.filter((s) => OIDC_SCOPE_DESCRIPTIONS[s]).map((name) => ({ name, description: OIDC_SCOPE_DESCRIPTIONS[name]! })),
    resources: resources.map((indicator) => {
      const row = rows.find((r) => r.indicator === indicator);
      return { indicator, name: row?.name ?? indicator, scopes: (row?.scopes ?? []).map((s) => ({ name: s.name, description: s.description })) };
    }),
  };
}

export type ConsentFailure = 'expired' | 'not_signed_in';

/**
 * Record the user's decision. `sessionId` is the session the request came with: only the account that
 * signed in to this interaction may decide.
 */
export async function decideConsent(uid: string, sessionId: string | null, decision: 'allow' | 'deny', meta: RequestMeta): Promise<{ ok: true } | { ok: false; reason: ConsentFailure }> {
  const view = await findInteraction(uid);
  if (!view) return { ok: false, reason: 'expired' };
  if (!view.login || view.login.sessionId !== sessionId) return { ok: false, reason: 'not_signed_in' };
  const { userId } = view.login;
  const recorded = await recordConsentResult(uid, decision === 'allow'
    ? { userId, scopes: view.request.scopes, resources: view.request.resources }
    : { userId, denied: true });
  if (!recorded) return { ok: false, reason: 'expired' };
  await auditInteraction(view, meta, {
    key: 'Interaction.Consent',
    result: decision === 'allow' ? 'Success' : 'Error',
    userId,
    ...(decision === 'deny' ? { error: { code: 'access_denied' } } : { scope: view.request.scopes.join(' '), resources: view.request.resources }),
  });
  return { ok: true };
}
