// End-user sign-in over plain HTTP, as a browser without JavaScript does it: a cookie jar, manual
// redirects, the sign-in form read from the page's HTML and posted back with its hidden fields.
import type { Sigil } from './sigil.ts';

export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** Raw Set-Cookie values as last received, by name (to assert attributes). */
  readonly raw = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      this.raw.set(name, line);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export type Step = { status: number; location: string | null; body: string; res: Response };

/** One request with the jar's cookies, no redirect following; stores Set-Cookie. */
export async function browse(sigil: Sigil, jar: CookieJar, url: string, init: RequestInit = {}): Promise<Step> {
  const absolute = new URL(url, sigil.url).href;
  const headers = new Headers(init.headers);
  if (jar.cookies.size) headers.set('cookie', jar.header());
  const res = await fetch(absolute, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  const body = await res.text();
  return { status: res.status, location: res.headers.get('location'), body, res };
}

/** The hidden inputs and action of the first form on an HTML page. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form on the page:\n${html.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decodeEntities(m[2]!);
  for (const m of form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decodeEntities(m[2]!);
  return { action: decodeEntities(form[1]!), fields };
}

const decodeEntities = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** POST a form as the page's own origin would (same-origin fetch metadata). */
export function postForm(sigil: Sigil, jar: CookieJar, action: string, fields: Record<string, string>, headers: Record<string, string> = { origin: sigil.url }): Promise<Step> {
  return browse(sigil, jar, action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * From an authorization URL to the app's callback URL: /oidc/auth -> /sign-in (form posted) ->
 * /oidc/auth/:uid -> (/consent -> /oidc/auth/:uid) -> the redirect URI. Returns the callback URL and steps.
 */
export async function signIn(sigil: Sigil, jar: CookieJar, authorizationUrl: string, credentials: { identifier: string; password: string }): Promise<{ callback: URL; steps: Step[] }> {
  const steps: Step[] = [];
  let step = await browse(sigil, jar, authorizationUrl);
  steps.push(step);
  for (let hops = 0; hops < 10; hops++) {
    if (step.status === 200 && step.res.url.includes('/sign-in')) throw new Error('unexpected page');
    if (step.status !== 303 && step.status !== 307 && step.status !== 302) throw new Error(`unexpected ${step.status} at hop ${hops}: ${step.body.slice(0, 500)}`);
    const location = new URL(step.location!, sigil.url);
    if (location.origin !== new URL(sigil.url).origin) return { callback: location, steps };
    if (location.pathname === '/sign-in') {
      const page = await browse(sigil, jar, location.href);
      steps.push(page);
      const { action, fields } = readForm(page.body);
      step = await postForm(sigil, jar, action, { ...fields, ...credentials });
    } else {
      step = await browse(sigil, jar, location.href);
    }
    steps.push(step);
  }
  throw new Error('too many redirects');
}
