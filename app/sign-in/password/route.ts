// POST /sign-in/password: the sign-in form. Success: a new session's cookies and back to the protocol
// layer (`${issuer}/auth/<uid>`); failure: back to the form with one message for any wrong identifier or password.
import { signInWithPassword } from '@/server/services/interaction';
import { requestMeta, resumeUrl, signInUrl } from '../_server/interaction';
import { readCheckedForm, seeOther, sessionCookies } from '../_server/form';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const form = await readCheckedForm(req);
  if (!form) return seeOther(signInUrl(new URL(req.url).searchParams.get('app_id') ?? '', { error: 'form_expired' }));
  const outcome = await signInWithPassword(form.uid, { identifier: form.get('identifier'), password: form.get('password') }, await requestMeta());
  if (outcome.ok) return seeOther(resumeUrl(form.uid), sessionCookies(outcome.session));
  const retry: Record<string, string> = outcome.retryAfterSeconds ? { retry: String(outcome.retryAfterSeconds) } : {};
  return seeOther(signInUrl(form.appId, { error: outcome.reason, ...retry }));
}
