// Fuzz the end-user sign-in endpoints like the token endpoint (fuzz.test.ts): thousands of seeded malformed
// requests to /oidc/auth, /oidc/auth/:uid, /oidc/me, /oidc/session/end(/confirm), the code and refresh
// grants, and the sign-in and consent pages and forms. Every answer: no 5xx; JSON errors in Logto's shape;
// redirects only to the registered redirect URI or Sigil's own pages (never an open redirect); no session,
// grant or code created by garbage; and a real sign-in still works afterwards.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { codeFlow } from './sign-in.flows.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))) };
}

let sigil: Sigil;
let f: SignInFixture;
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  sigil = await startSigil();
  f = await signInFixture(sigil);
  db = openDb(sigil.databaseUrl);
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
});

function send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: sigil.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in fuzz', () => {
  it('answers 2,500 malformed requests safely and stays able to sign people in', { timeout: 240_000 }, async () => {
    const r = prng(20261205);
    const before = { sessions: await db.session.count(), grants: await db.grant.count(), codes: await db.authorizationCode.count() };
    const uid = 'a'.repeat(21);
    const paths = ['/oidc/auth', '/oidc/auth', `/oidc/auth/${uid}`, '/oidc/auth/../token', '/oidc/me', '/oidc/session/end', '/oidc/session/end/confirm', '/oidc/token', '/sign-in', '/sign-in/password', '/sign-in/register', '/consent', '/consent/decision'];
    const methods = ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'];
    const names = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'prompt', 'resource', 'code_challenge', 'code_challenge_method', 'max_age', 'login_hint', 'post_logout_redirect_uri', 'id_token_hint', 'grant_type', 'code', 'code_verifier', 'refresh_token', 'token', 'uid', 'csrf', 'identifier', 'password', 'decision', 'app_id', 'request', 'response_mode', 'xsrf', ''];
    const values = [
      f.spa.id, f.web.id, f.m2m.id, f.redirectUri, `${f.redirectUri}/`, 'https://evil.example/cb', '//evil.example', 'javascript:alert(1)', 'code', 'token', 'openid', 'openid offline_access profile',
      'none', 'login consent', 'plain', 'S256', 'a'.repeat(43), f.indicator, `${sigil.url}/api`, 'authorization_code', 'refresh_token', '%', '%ZZ', '%E0%A4%A', '\u0000', 'x'.repeat(5000),
      '🙂', ' ', '', '-1', '999999999999', f.user.username, 'eyJ.eyJ.sig', '<script>alert(1)</script>', '"\'><img>', 'deny', 'allow', uid,
    ];
    const types = ['application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', ''];
    const cookies = ['', `_interaction=${encodeURIComponent(JSON.stringify({ [f.spa.id]: uid }))}`, '_interaction=%7B%22a%22', '_session=x; _session.sig=y', `_session=${'a'.repeat(43)}; _session.sig=${'b'.repeat(43)}`, '_interaction=' + 'x'.repeat(3000)];
    const origins = [undefined, sigil.url, 'https://evil.example', 'null'];
    // Raw values keep malformed escapes (%ZZ) but escape what an HTTP request line cannot carry.
    const raw = (v: string) => v.replace(/[^\x21-\x7e]|#/gu, (c) => encodeURIComponent(c));
    const query = () => Array.from({ length: r.int(8) }, () => `${r.pick(names)}=${r.next() < 0.7 ? encodeURIComponent(r.pick(values)) : raw(r.pick(values))}`).join('&');
    const allowedRedirect = (location: string) =>
      location.startsWith('/sign-in?') || location.startsWith('/consent?') || location.startsWith(`${f.redirectUri}?`) || location.startsWith(`${f.redirectUri}/`)
      || location.startsWith(`${f.postLogoutRedirectUri}`) || location.startsWith(`${sigil.url}/`);

    let count = 0;
    const seen = new Map<number, number>();
    const worker = async () => {
      while (count < 2500) {
        count++;
        const method = r.pick(methods);
        const path = r.pick(paths);
        const headers: Record<string, string> = {};
        const type = r.pick(types);
        if (type) headers['content-type'] = type;
        const cookie = r.pick(cookies);
        if (cookie) headers.cookie = cookie;
        const origin = r.pick(origins);
        if (origin) headers.origin = origin;
        if (r.next() < 0.2) headers.authorization = r.pick(['Bearer x', 'Bearer ' + 'a'.repeat(43), 'Basic !!', `Basic ${Buffer.from(`${f.web.id}:${f.web.secret}`).toString('base64')}`]);
        const body = method === 'GET' || method === 'HEAD' ? undefined : r.next() < 0.15 ? r.bytes(r.int(300)) : Buffer.from(query());
        const url = `${path}${r.next() < 0.8 ? `?${query()}` : ''}`;
        const res = await send(method, url, headers, body);
        const label = `${method} ${url.slice(0, 300)} ${JSON.stringify(headers).slice(0, 300)} -> ${res.status} ${res.body.slice(0, 300)}`;
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status, label).toBeLessThan(500);
        const location = res.headers.location as string | undefined;
        if (location) expect(allowedRedirect(location), label).toBe(true);
        const contentType = String(res.headers['content-type'] ?? '');
        if (path.startsWith('/oidc') && res.status >= 400 && contentType.startsWith('application/json') && method !== 'HEAD') {
          const json = JSON.parse(res.body);
          expect(json, label).toMatchObject({ error: expect.any(String), error_description: expect.any(String), code: `oidc.${json.error}`, message: json.error_description });
          expect(json.error_description, label).not.toMatch(/at .*\.ts:\d+|Error:|prisma/i);
        }
        if (contentType.startsWith('text/html')) expect(res.body, label).not.toMatch(/<script>alert|<img>/);
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    expect(count).toBeGreaterThanOrEqual(2500);
    // The garbage reached every kind of answer: redirects, pages and OAuth errors.
    for (const status of [200, 303, 400, 401, 405]) expect(seen.get(status) ?? 0, `${status} in ${JSON.stringify([...seen])}`).toBeGreaterThan(20);
    expect({ sessions: await db.session.count(), grants: await db.grant.count(), codes: await db.authorizationCode.count() }).toEqual(before);

    const { tokens } = await codeFlow(sigil, f);
    expect(tokens.refresh_token).toBeTruthy();
  });
});
