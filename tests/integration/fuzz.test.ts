// Fuzz the OAuth endpoints: thousands of malformed requests (methods, headers, bodies, encodings), and
// header abuse (repeated, malformed Basic, oversized, non-Latin-1).
// Every answer must be a well-formed OAuth response: no 5xx, exact error codes from the closed set, and the
// server must still issue tokens afterwards. Seeded, so a failure reproduces.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const OAUTH_ERRORS = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type',
  'invalid_scope', 'invalid_target', 'access_denied', 'unsupported_token_type',
]);

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}

let sigil: Sigil;
let m2m: Awaited<ReturnType<typeof setupM2M>>;

beforeAll(async () => {
  sigil = await startSigil();
  m2m = await setupM2M(sigil);
});
afterAll(async () => sigil?.stop());

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

describe('fuzz', () => {
  it('answers 3,000 malformed requests with well-formed OAuth responses and stays alive', async () => {
    const r = prng(20261121);
    const paths = ['/oidc/token', '/oidc/token/introspection', '/oidc/token/revocation'];
    const methods = ['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
    const types = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', '', 'application/x-www-form-urlencoded\u00e9'.normalize('NFKD').replace(/[^\x20-\x7e]/g, '')];
    const goodAuth = basic(m2m.app.id, m2m.app.secret);
    const auths = [
      undefined, goodAuth, 'Basic', 'Basic ', 'Basic !!!!', `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from('%ZZ:%E0%A4%A').toString('base64')}`, `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from(`${m2m.app.id}:`).toString('base64')}`, 'Bearer abc', 'Digest x', `Basic ${'A'.repeat(5000)}`,
      `basic ${Buffer.from(`${m2m.app.id}:${m2m.app.secret}`).toString('base64')}`,
    ];
    const params = ['grant_type', 'client_id', 'client_secret', 'resource', 'scope', 'token', 'token_type_hint', 'x', ''];
    const values = ['client_credentials', 'password', m2m.indicator, 'https://nope', 'read:products', '%', '%ZZ', '%E0%A4%A', '\u0000', 'a'.repeat(3000), '🙂', ' ', '', m2m.app.id, m2m.app.secret, 'urn:ietf:params:oauth:grant-type:token-exchange'];
    const bodies: Array<() => Buffer | undefined> = [
      () => undefined,
      () => Buffer.alloc(0),
      () => r.bytes(r.int(200)),
      () => Buffer.from(Array.from({ length: r.int(6) + 1 }, () => `${r.pick(params)}=${encodeURIComponent(r.pick(values))}`).join('&')),
      () => Buffer.from(Array.from({ length: r.int(6) + 1 }, () => `${r.pick(params)}=${r.pick(values)}`).join('&')),
      () => Buffer.from(`grant_type=client_credentials&resource=${encodeURIComponent(m2m.indicator)}&resource=${encodeURIComponent(m2m.indicator)}`),
      () => Buffer.from('grant_type=client_credentials&grant_type=client_credentials'),
      () => Buffer.from(`token=${'x'.repeat(r.int(20000))}`),
      () => Buffer.alloc(70 * 1024, 'a'),
      () => Buffer.from('{"grant_type":"client_credentials"}'),
      () => Buffer.from('grant_type=client_credentials&scope=' + encodeURIComponent('read:products\u0000write')),
      () => Buffer.from([0xff, 0xfe, 0x67, 0x00, 0x72, 0x00]),
    ];

    let count = 0;
    const seen = new Map<string, number>();
    const worker = async () => {
      while (count < 3000) {
        count++;
        const method = r.pick(methods);
        const path = r.pick(paths);
        const headers: Record<string, string> = {};
        const type = r.pick(types);
        if (type) headers['content-type'] = type;
        const auth = r.pick(auths);
        if (auth) headers.authorization = auth;
        if (r.next() < 0.1) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
        if (r.next() < 0.05) headers['content-encoding'] = r.pick(['gzip', 'br']);
        const body = method === 'GET' || method === 'HEAD' ? undefined : r.pick(bodies)();
        const res = await send(method, path, headers, body);
        seen.set(String(res.status), (seen.get(String(res.status)) ?? 0) + 1);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)} ${body?.toString("latin1").slice(0, 300)} -> ${res.status} ${res.body}`).toBeLessThan(500);
        if (method === 'HEAD' || res.status === 204) continue;
        if (res.status === 200) {
          if (path === '/oidc/token/revocation') expect(res.body).toBe('');
          else {
            const json = JSON.parse(res.body);
            if (path === '/oidc/token') expect(json.token_type).toBe('Bearer');
            else expect(typeof json.active).toBe('boolean');
          }
          continue;
        }
        expect([400, 401, 405], `${method} ${path} -> ${res.status} ${res.body}`).toContain(res.status);
        expect(String(res.headers['content-type']), `${method} ${path} ${JSON.stringify(headers)} -> ${res.status} ${res.body}`).toMatch(/^application\/json/);
        expect(res.headers['cache-control']).toBe('no-store');
        const json = JSON.parse(res.body);
        expect(Object.keys(json).sort()).toEqual(['code', 'error', 'error_description', 'message']);
        expect(json).toMatchObject({ code: `oidc.${json.error}`, message: json.error_description });
        expect(OAUTH_ERRORS.has(json.error), res.body).toBe(true);
        expect(typeof json.error_description).toBe('string');
        expect(json.error_description).not.toMatch(/at .*\.ts:\d+|Error:|prisma/i);
        if (res.status === 401) expect(res.headers['www-authenticate']).toMatch(/^Basic realm="Sigil"/);
        if (res.status === 405) expect(res.headers.allow).toBe('POST');
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(count).toBeGreaterThanOrEqual(3000);
    expect(seen.get('400')).toBeGreaterThan(100);

    // Still alive and issuing.
    const ok = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
    expect(ok.status).toBe(200);
  });

  it('answers header abuse: repeated, malformed, oversized and non-Latin-1 headers', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', resource: m2m.indicator }).toString();
    const good = basic(m2m.app.id, m2m.app.secret);
    const FORM = 'application/x-www-form-urlencoded';
    const oauth = (res: { status: number; body: string }, status: number, error: string, label: string) => {
      expect(res.status, `${label}: ${res.body}`).toBe(status);
      expect(JSON.parse(res.body).error, label).toBe(error);
    };
    // Repeated single-valued headers (node:http would keep only the first one).
    const twice = (headers: Record<string, string | string[]>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: sigil.port, method: 'POST', path: '/oidc/token', headers: { ...headers, 'content-length': String(form.length) } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end(form);
      });
    oauth(await twice({ authorization: [good, good], 'content-type': FORM }), 400, 'invalid_request', 'two Authorization');
    oauth(await twice({ authorization: good, 'content-type': [FORM, FORM] }), 400, 'invalid_request', 'two Content-Type');
    // Malformed Basic credentials are a failed client authentication.
    for (const authorization of ['Basic', 'Basic ', 'Basic !!!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from(':x').toString('base64')}`, 'Basic YQ', 'Basic YR==', `Basic ${'A'.repeat(8000)}`]) {
      const res = await send('POST', '/oidc/token', { authorization, 'content-type': FORM }, Buffer.from(form));
      oauth(res, 401, 'invalid_client', authorization.slice(0, 40));
      expect(res.headers['www-authenticate']).toBe('Basic realm="Sigil", error="invalid_client"');
    }
    // Raw bytes: UTF-8 (not Latin-1) in header values, a control character, a header beyond Node's limit.
    const { connect } = await import('node:net');
    const raw = (head: string) =>
      new Promise<string>((resolve) => {
        // write, not end: a half-closed socket is dropped before a slower answer is written.
        const socket = connect(sigil.port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(form)])));
        socket.setTimeout(10_000, () => socket.destroy());
        let out = '';
        socket.on('data', (d) => (out += d));
        socket.on('close', () => resolve(out));
        socket.on('error', () => resolve(out));
      });
    const head = (extra: string) => `POST /oidc/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${form.length}\r\n${extra}\r\n`;
    const utf8Auth = await raw(head(`Authorization: Basic ✓東京\r\nContent-Type: ${FORM}\r\n`));
    expect(utf8Auth).toMatch(/^HTTP\/1\.1 401 /);
    expect(utf8Auth).toContain('"error":"invalid_client"');
    const utf8Type = await raw(head(`Authorization: ${good}\r\nContent-Type: ${FORM}; charset=✓\r\n`));
    expect(utf8Type).toMatch(/^HTTP\/1\.1 [24]\d\d /);
    const control = await raw(head(`Authorization: Basic a\u0001b\r\nContent-Type: ${FORM}\r\n`));
    expect(control).toMatch(/^HTTP\/1\.1 4\d\d /);
    const oversized = await raw(head(`Authorization: Basic ${'A'.repeat(70_000)}\r\nContent-Type: ${FORM}\r\n`));
    expect(oversized).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(oversized).toContain('"error":"invalid_request"');
    // Still alive and issuing.
    expect((await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app)).status).toBe(200);
  });

  it('answers raw protocol abuse without crashing', async () => {
    const { connect } = await import('node:net');
    const raw = (payload: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(sigil.port, '127.0.0.1', () => socket.end(payload));
        let out = '';
        socket.on('data', (d) => (out += d));
        socket.on('close', () => resolve(out));
        socket.on('error', () => resolve(out));
      });
    const answers = await Promise.all([
      raw('POST /oidc/token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef'),
      raw('POST /oidc/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      raw('GARBAGE\r\n\r\n'),
      raw('POST /oidc/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=cl'),
    ]);
    for (const a of answers) expect(a).not.toMatch(/^HTTP\/1\.1 5\d\d/);
    // Requests Node's parser refuses still get an OAuth-shaped answer.
    expect(answers[0]).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answers[0]).toContain('{"error":"invalid_request","error_description":"malformed HTTP request"}');
    const identity = await raw('POST /oidc/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc');
    expect(identity).toMatch(/^HTTP\/1\.1 400 /);
    expect(identity).toContain('"error":"invalid_request"');
    const ok = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app);
    expect(ok.status).toBe(200);
  });
});
