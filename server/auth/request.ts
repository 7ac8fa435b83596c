// Facts about a console request taken from its headers: client IP and whether it is same-origin.
import { env } from '../env.ts';

/** Vercel, or SIGIL_TRUST_PROXY=true: only then do forwarding headers come from someone we trust. */
const behindTrustedProxy = () => Boolean(process.env.VERCEL) || process.env.SIGIL_TRUST_PROXY === 'true';

/**
 * The client IP. Behind Vercel or a trusted proxy (SIGIL_TRUST_PROXY=true) the first X-Forwarded-For hop;
 * otherwise Next.js's own X-Forwarded-For, which it sets from the socket when the client sent none.
 */
export function requestIp(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for');
  if (!forwarded) return null;
  const hops = forwarded.split(',').map((h) => h.trim()).filter(Boolean);
  return (behindTrustedProxy() ? hops[0] : hops.at(-1)) ?? null;
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
  const proxied = behindTrustedProxy();
  const host = (proxied && headers.get('x-forwarded-host')) || headers.get('host');
  if (host) {
    const proto = proxied && headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
    allowed.add(`${proto}://${host}`);
  }
  return allowed.has(origin);
}
