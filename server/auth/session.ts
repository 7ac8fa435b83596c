// Reading the console session: next-auth's encrypted JWT cookie, checked here rather than through
// next-auth's session endpoint so that tRPC and server components share one strict check:
// - expiry is absolute (SIGIL_CONSOLE_SESSION_MAX_AGE after sign-in), never extended by activity;
// - the administrator must still exist (a deleted account loses access at once).
import { decode } from 'next-auth/jwt';
import { env } from '../env.ts';
import { findAdministrator } from '../services/administrators.ts';
import { instanceKeys } from '../services/instance-key.ts';

export type AdminSession = { id: string; email: string };

/** next-auth's cookie name: `__Secure-` prefixed when the console is served over https. */
export function sessionCookieName(): string {
  return env().publicUrl.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}

/** next-auth splits cookies over 4 KB into `name.0`, `name.1`, ...; ours are small, but read both forms. */
function sessionToken(cookies: Map<string, string>, name: string): string | undefined {
  const whole = cookies.get(name);
  if (whole) return whole;
  const chunks: string[] = [];
  for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join('') : undefined;
}

export async function readAdminSession(cookieHeader: string | null, now = Date.now()): Promise<AdminSession | null> {
  const token = sessionToken(parseCookies(cookieHeader), sessionCookieName());
  if (!token) return null;
  let claims: Record<string, unknown> | null;
  try {
    claims = (await decode({ token, secret: (await instanceKeys()).sessionSecret })) as Record<string, unknown> | null;
  } catch {
    return null; // tampered, or made with another instance key
  }
  const signedInAt = claims?.signedInAt;
  if (!claims || typeof claims.sub !== 'string' || typeof signedInAt !== 'number') return null;
  if (signedInAt * 1000 + env().consoleSessionMaxAge * 1000 <= now) return null;
  const admin = await findAdministrator(claims.sub);
  return admin ? { id: admin.id, email: admin.email } : null;
}
