// POST /sign-in/register: the registration form (only when sign-up is enabled). Success: the new user is
// signed in like a password sign-in; failure: back to the form with the reason.
import { register } from '@/server/services/interaction';
import { requestMeta, resumeUrl, signInUrl } from '../_server/interaction';
import { readCheckedForm, seeOther, sessionCookies } from '../_server/form';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const form = await readCheckedForm(req);
  if (!form) return seeOther(signInUrl(new URL(req.url).searchParams.get('app_id') ?? '', { error: 'form_expired' }));
  if (form.get('password') !== form.get('confirm')) return seeOther(signInUrl(form.appId, { mode: 'register', error: 'password_mismatch' }));
  const outcome = await register(form.uid, { identifier: form.get('identifier'), password: form.get('password') }, await requestMeta());
  if (outcome.ok) return seeOther(resumeUrl(form.uid), sessionCookies(outcome.session));
  return seeOther(signInUrl(form.appId, { mode: 'register', error: outcome.reason }));
}
