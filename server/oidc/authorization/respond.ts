// Responses of the browser-facing endpoints: 303 redirects (back to the app with RFC 9207's `iss`, or to a
// sign-in page) and the HTML error page for requests that must never redirect (unknown client, unregistered
// redirect_uri: redirecting there would make Sigil an open redirector, RFC 6749 §4.1.2.1).
import { env } from '../../env.ts';
import type { ProtocolResponse } from '../../http/envelope.ts';
import { NO_STORE, type OAuthError } from '../errors.ts';

/**
 * Security headers of every HTML page and redirect the protocol layer serves. No CSP form-action: browsers
 * apply it to the redirects after a form post too, and those go on to the app's own origin.
 */
export const PAGE_HEADERS = {
  ...NO_STORE,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
} as const;

export function redirect(location: string, cookies: string[] = []): ProtocolResponse {
  return { status: 303, headers: { ...PAGE_HEADERS, location }, cookies, body: '' };
}

/** `redirectUri` with the response parameters added to its query, plus `iss` (RFC 9207). */
export function redirectToClient(redirectUri: string, params: Record<string, string>, cookies: string[] = []): ProtocolResponse {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries({ ...params, iss: env().issuer })) url.searchParams.append(k, v);
  return redirect(url.href, cookies);
}

/** An OAuth error sent back to the app (RFC 6749 §4.1.2.1), with `state` when the request had one. */
export function errorToClient(redirectUri: string, error: OAuthError, state: string | undefined, cookies: string[] = []): ProtocolResponse {
  return redirectToClient(redirectUri, { error: error.error, error_description: error.description, ...(state !== undefined ? { state } : {}) }, cookies);
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small self-contained HTML page (no scripts, no external resources). `body` must already be escaped. */
export function htmlPage(status: number, title: string, body: string, cookies: string[] = []): ProtocolResponse {
  return {
    status,
    headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' },
    cookies,
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Sigil</title>
<style>
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;display:grid;place-items:center;min-height:100vh;background:Canvas;color:CanvasText}
main{max-width:28rem;margin:1rem;padding:2rem;border:1px solid color-mix(in srgb,CanvasText 15%,transparent);border-radius:12px}
h1{font-size:1.25rem;margin:0 0 .75rem}p{line-height:1.5}code{font-size:.9em}
button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:0;background:#4f46e5;color:#fff;cursor:pointer}
</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
  };
}

/** The error page: what went wrong, with the OAuth code for whoever debugs the app. */
export function errorPage(error: OAuthError, title = 'Sign-in request refused'): ProtocolResponse {
  return htmlPage(error.status === 500 ? 500 : 400, title, `<p>${escapeHtml(error.description)}</p><p><code>${escapeHtml(error.error)}</code></p>`);
}
