// Facts about a console request taken from its headers: client IP and whether it is same-origin.
import { env } from '../env.ts';
import { clientIp } from '../http/client-ip.ts';

/** The client IP of a console request (see http/client-ip.ts; a Next route handler has no socket). */
export function requestIp(headers: Headers): string | null {
  return clientIp((name) => headers.get(name), null);
}

export function requestUserAgent(headers: Headers): string | undefined {
  return headers.get('user-agent')?.slice(0, 512) ?? undefined;
}

/**
 * CSRF defence for state-changing console calls (beside SameSite=Lax cookies): the browser must say the
 * request came from this origin. `Sec-Fetch-Site` when the browser sends it, else `Origin`, which must
 * equal the public URL's origin or the origin of the Host the request was sent to. `X-Forwarded-Host` and
 * `-Proto` name that Host only behind a trusted proxy: anyone else can send them. A request with neither
 * header is refused: every browser that runs the console sends at least one on a POST.
 */
export function isSameOrigin(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = headers.get('origin');
  if (!origin || origin === 'null') return false;
  const allowed = new Set([new URL(env().publicUrl).origin]);
  const proxied = env().trustProxy;
  const host = (proxied && headers.get('x-forwarded-host')) || headers.get('host');
  if (host) {
    const proto = proxied && headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
    allowed.add(`${proto}://${host}`);
  }
  return allowed.has(origin);
}
