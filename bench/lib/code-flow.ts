// Authorization codes for the bench, minted the way a browser gets them: a cookie jar follows the
// authorization server's redirects until it is sent to the app's redirect URI, whose `code` is kept. The
// first flow of each jar signs in (Sigil's form, or the peer's instant interaction); later ones ride its
// session (SSO), so minting thousands is cheap. Minting is never measured: codes are made before a run, then exchanged.
import { FORM } from './http.ts';

export type CodeFlow = {
  origin: string;
  authorizationPath: string;
  clientId: string;
  redirectUri: string;
  /** Extra authorization parameters (scope, resource, prompt). */
  params: Record<string, string>;
  /** Sigil's sign-in form: identifier and password to post when the page asks for them. */
  credentials?: { identifier: string; password: string };
};

class Jar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || pair.slice(eq + 1) === '') this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** An error page as one line of text (its end: where both servers say what went wrong). */
const text = (html: string) => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(-300);
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");

/** The hidden inputs and action of the first form on a page (Sigil's sign-in form). */
function readForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error(`no form on the page: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decode(m[2]!);
  for (const m of form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"/g)) fields[m[1]!] = decode(m[2]!);
  return { action: decode(form[1]!), fields };
}

/** One browser: a cookie jar that runs the flow again and again. */
export function codeMinter(flow: CodeFlow, concurrency = 8): { mint: (count: number) => Promise<string[]> } {
  const go = async (jar: Jar, url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', jar.header());
    const res = await fetch(new URL(url, flow.origin), { ...init, headers, redirect: 'manual' });
    jar.store(res);
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  };
  const once = async (jar: Jar): Promise<string> => {
    const query = new URLSearchParams({ client_id: flow.clientId, redirect_uri: flow.redirectUri, response_type: 'code', state: 'bench', ...flow.params });
    let step = await go(jar, `${flow.authorizationPath}?${query}`);
    for (let hops = 0; hops < 12; hops++) {
      if (step.status === 200 && flow.credentials && /name="password"/.test(step.body)) {
        const { action, fields } = readForm(step.body);
        step = await go(jar, action, {
          method: 'POST',
          headers: { 'content-type': FORM, origin: flow.origin },
          body: new URLSearchParams({ ...fields, ...flow.credentials }).toString(),
        });
        continue;
      }
      if (step.status < 300 || step.status > 399 || !step.location) throw new Error(`authorization flow stopped at ${step.status}: ${text(step.body)}`);
      const next = new URL(step.location, flow.origin);
      if (next.href.startsWith(flow.redirectUri)) {
        const code = next.searchParams.get('code');
        if (!code) throw new Error(`redirected without a code: ${next.href}`);
        return code;
      }
      step = await go(jar, next.href);
    }
    throw new Error('authorization flow: too many redirects');
  };
  // Each worker is its own browser with its own session (flows sharing one session trip the servers'
  // checks that an interaction belongs to the session it started in); it signs in on its first flow.
  const jars = Array.from({ length: concurrency }, () => new Jar());
  return {
    async mint(count) {
      const codes: string[] = [];
      await Promise.all(jars.slice(0, Math.max(1, Math.min(count, jars.length))).map(async (jar) => {
        while (codes.length < count) codes.push(await once(jar));
      }));
      return codes.slice(0, count);
    },
  };
}
