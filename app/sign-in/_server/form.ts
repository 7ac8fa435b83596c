// The sign-in and consent forms' POST handling: same-origin only (Sec-Fetch-Site or Origin), a form token
// bound to the interaction (CSRF), the interaction one of this browser's, small bodies. The handlers answer
// 303 redirects, so a reload never re-posts.
import { isSameOrigin } from '@/server/auth/request';
import { serializeCookie, SESSION_COOKIE, SESSION_SIG_COOKIE } from '@/server/http/cookies';
import { checkFormToken } from '@/server/services/interaction';
import type { NewSession } from '@/server/services/sign-in/sessions';
import { ready } from '@/server/next/ready';
import { ownsInteraction } from './interaction';

const MAX_FORM_BYTES = 8 * 1024;

export type CheckedForm = { uid: string; appId: string; get: (name: string) => string };

/** The posted form when it passes every check, else null (the caller redirects to a fresh page). */
export async function readCheckedForm(req: Request): Promise<CheckedForm | null> {
  await ready();
  if (!isSameOrigin(req.headers)) return null;
  if (!req.headers.get('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  const text = await req.text();
  if (text.length > MAX_FORM_BYTES) return null;
  const params = new URLSearchParams(text);
  const get = (name: string) => (params.get(name) ?? '').slice(0, 1024);
  const uid = get('uid');
  if (!/^[a-z0-9]{21}$/.test(uid) || !(await ownsInteraction(uid)) || !(await checkFormToken(uid, get('csrf')))) return null;
  return { uid, appId: get('app_id').slice(0, 128), get };
}

export function seeOther(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/** `_session` and `_session.sig` for a new session (koa's signed-cookie pair, as Logto's clients expect). */
export function sessionCookies(session: NewSession): string[] {
  const { value, signature, maxAgeSeconds } = session.cookie;
  return [serializeCookie(SESSION_COOKIE, value, { maxAgeSeconds }), serializeCookie(SESSION_SIG_COOKIE, signature, { maxAgeSeconds })];
}
