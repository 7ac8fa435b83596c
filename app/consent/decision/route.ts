// POST /consent/decision: the third-party consent form. Either way, back to the protocol layer, which
// issues the code or sends `access_denied` to the app.
import { decideConsent } from '@/server/services/interaction';
import { currentSession, requestMeta, resumeUrl, signInUrl } from '../../sign-in/_server/interaction';
import { readCheckedForm, seeOther } from '../../sign-in/_server/form';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  const form = await readCheckedForm(req);
  if (!form) return seeOther(signInUrl(new URL(req.url).searchParams.get('app_id') ?? '', { error: 'form_expired' }));
  const decision = form.get('decision') === 'allow' ? 'allow' : 'deny';
  const session = await currentSession();
  const outcome = await decideConsent(form.uid, session?.id ?? null, decision, await requestMeta());
  if (!outcome.ok) return seeOther(signInUrl(form.appId, outcome.reason === 'expired' ? { error: 'expired' } : {}));
  return seeOther(resumeUrl(form.uid));
}
