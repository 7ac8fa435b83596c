// /sign-in: the sign-in (and, when enabled, registration) form of an authorization request in progress.
// Server-rendered, works without client JavaScript; the forms post to route handlers with a form token.
import { formToken } from '@/server/services/interaction';
import { getSignInExperience, signUpEnabled } from '@/server/services/sign-in/settings';
import { currentInteraction, signInUrl } from './_server/interaction';
import { Card, Expired, FormTokens, Notice } from './_ui/card';
import { errorMessage } from './_ui/messages';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Sigil', robots: { index: false } };

type Query = { app_id?: string; error?: string; retry?: string; mode?: string };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Query> }) {
  const query = await searchParams;
  const view = await currentInteraction(typeof query.app_id === 'string' ? query.app_id : undefined);
  if (!view) return <Expired />;
  const settings = await getSignInExperience();
  const registering = query.mode === 'register' && signUpEnabled(settings);
  const appId = view.application.id;
  const message = errorMessage(query.error, query.retry, settings.passwordPolicy.length.min);
  const tokens = <FormTokens uid={view.id} appId={appId} csrf={await formToken(view.id)} />;
  const lead = <>to continue to <strong>{view.application.name}</strong></>;

  if (registering) {
    return (
      <Card title="Create account" lead={lead}>
        {message ? <Notice>{message}</Notice> : null}
        <form className="si-form" method="post" action={`/sign-in/register?app_id=${encodeURIComponent(appId)}`}>
          {tokens}
          <label>Username or email<input type="text" name="identifier" autoComplete="username" required autoFocus maxLength={320} /></label>
          <label>Password<input type="password" name="password" autoComplete="new-password" required minLength={settings.passwordPolicy.length.min} maxLength={settings.passwordPolicy.length.max} /></label>
          <label>Confirm password<input type="password" name="confirm" autoComplete="new-password" required /></label>
          <button className="si-button" type="submit">Create account</button>
        </form>
        <p className="si-switch">Already have an account? <a href={signInUrl(appId)}>Sign in</a></p>
      </Card>
    );
  }
  return (
    <Card title="Sign in" lead={lead}>
      {message ? <Notice>{message}</Notice> : null}
      <form className="si-form" method="post" action={`/sign-in/password?app_id=${encodeURIComponent(appId)}`}>
        {tokens}
        <label>Username or email<input type="text" name="identifier" autoComplete="username" required autoFocus maxLength={320} defaultValue={view.request.loginHint} /></label>
        <label>Password<input type="password" name="password" autoComplete="current-password" required maxLength={256} /></label>
        <button className="si-button" type="submit">Sign in</button>
      </form>
      {signUpEnabled(settings) ? <p className="si-switch">No account? <a href={signInUrl(appId, { mode: 'register' })}>Create one</a></p> : null}
    </Card>
  );
}
