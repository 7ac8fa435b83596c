// The end-user cookies, shared by the protocol endpoints (node:http or Next route handlers) and the
// sign-in pages (Next), which only ever meet through these cookies and the database. Names are Logto's
// (oidc-provider's), so Logto's tools recognise them:
// - `_interaction`: percent-encoded JSON `{ "<clientId>": "<uid>" }`, the authorization requests this
//   browser has in progress, one per app (Logto's per-client interaction cookie);
// - `_session` and `_session.sig`: the sign-in session, a random value and its keyed signature (the
//   koa `signed` cookie pair); the database stores only a keyed hash of the value.
import { env } from '../env.ts';

export const INTERACTION_COOKIE = '_interaction';
export const SESSION_COOKIE = '_session';
export const SESSION_SIG_COOKIE = '_session.sig';

/** Cookie header -> name/value map (first occurrence wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export type CookieOptions = { maxAgeSeconds?: number; path?: string };

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Secure when the public URL is https. */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
    if (options.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (env().publicUrl.startsWith('https:')) parts.push('Secure');
  return parts.join('; ');
}

export const clearCookie = (name: string) => serializeCookie(name, '', { maxAgeSeconds: 0 });

// ---- _interaction ---------------------------------------------------------------------------------

const MAX_INTERACTIONS = 8;

/** The client id -> interaction uid map; anything malformed reads as empty. */
export function readInteractionMap(value: string | undefined): Record<string, string> {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(value));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && /^[a-z0-9]{21}$/.test(e[1]) && e[0].length <= 128,
      ),
    );
  } catch {
    return {};
  }
}

/** Set-Cookie for the map with `clientId` set to `uid` (or removed when uid is null); expires with the interactions. */
export function interactionCookie(current: Record<string, string>, clientId: string, uid: string | null, maxAgeSeconds: number): string {
  const next: Record<string, string> = Object.fromEntries(Object.entries(current).filter(([k]) => k !== clientId));
  if (uid) next[clientId] = uid;
  const entries = Object.entries(next).slice(-MAX_INTERACTIONS);
  if (entries.length === 0) return clearCookie(INTERACTION_COOKIE);
  return serializeCookie(INTERACTION_COOKIE, encodeURIComponent(JSON.stringify(Object.fromEntries(entries))), { maxAgeSeconds });
}

/** The interaction a page is about: the app's entry when `app_id` is given, else the newest entry. */
export function pickInteraction(map: Record<string, string>, appId: string | undefined): string | undefined {
  if (appId) return map[appId];
  return Object.values(map).at(-1);
}
