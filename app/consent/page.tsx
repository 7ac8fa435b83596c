// /consent: first-party apps are consented silently (straight back to the protocol layer); a third-party
// app (`isThirdParty`) gets a screen listing the scopes and API resources it asks for.
import { redirect } from 'next/navigation';
import { consentDetails, decideConsent, formToken } from '@/server/services/interaction';
import { currentInteraction, currentSession, requestMeta, resumeUrl, signInUrl } from '../sign-in/_server/interaction';
import { Card, Expired, FormTokens } from '../sign-in/_ui/card';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Allow access · Sigil', robots: { index: false } };

export default async function ConsentPage({ searchParams }: { searchParams: Promise<{ app_id?: string }> }) {
  const { app_id: appIdParam } = await searchParams;
  const view = await currentInteraction(typeof appIdParam === 'string' ? appIdParam : undefined);
  if (!view) return <Expired />;
  const appId = view.application.id;
  const session = await currentSession();
  if (!view.login || !session || session.id !== view.login.sessionId) redirect(signInUrl(appId));
  if (!view.application.isThirdParty) {
    const outcome = await decideConsent(view.id, session.id, 'allow', await requestMeta());
    redirect(outcome.ok ? resumeUrl(view.id) : signInUrl(appId));
  }
  const details = await consentDetails(view);
  return (
    <Card title={`${details.application.name} wants to access your account`}>
      <p className="si-muted">If you allow it, this app will be able to:</p>
      <ul className="si-scopes" aria-label="Requested permissions">
        {details.scopes.map((s) => <li key={s.name}>{s.description}</li>)}
        {details.resources.map((r) => (
          <li key={r.indicator}>
            Use <strong>{r.name}</strong> (<code>{r.indicator}</code>)
            {r.scopes.length ? <>: {r.scopes.map((s) => s.description || s.name).join(', ')}</> : null}
          </li>
        ))}
      </ul>
      <form className="si-form" method="post" action={`/consent/decision?app_id=${encodeURIComponent(appId)}`}>
        <FormTokens uid={view.id} appId={appId} csrf={await formToken(view.id)} />
        <div className="si-actions">
          <button className="si-button si-button-secondary" type="submit" name="decision" value="deny">Deny</button>
          <button className="si-button" type="submit" name="decision" value="allow">Allow</button>
        </div>
      </form>
    </Card>
  );
}
