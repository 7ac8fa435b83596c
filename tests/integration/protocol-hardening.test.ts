// Protocol edge cases a security review found, over HTTP on both fronts (lean node:http and Next's Fetch):
// malformed Basic credentials are a client authentication failure (401 invalid_client with a challenge);
// a repeated Authorization or Content-Type header is refused (400, lean front); revoking another client's token
// answers exactly as for an unknown token and revokes nothing (RFC 7009 §2.1).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, managementClient, setupM2M, startSigil, tokenRequest, type Mode, type Sigil } from '../helpers/sigil.ts';

/** Raw HTTP, so that a header can be sent twice (fetch would join the values). */
function send(sigil: Sigil, path: string, headers: Record<string, string | string[]>, body = '') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sigil.port, method: 'POST', path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = 'application/x-www-form-urlencoded';

for (const mode of ['lean', 'next'] as Mode[]) {
  describe(`protocol hardening (${mode})`, () => {
    let sigil: Sigil;
    let m2m: Awaited<ReturnType<typeof setupM2M>>;
    const grant = () => new URLSearchParams({ grant_type: 'client_credentials', resource: m2m.indicator }).toString();

    beforeAll(async () => {
      sigil = await startSigil({ mode });
      m2m = await setupM2M(sigil);
    });
    afterAll(async () => sigil?.stop());

    it('answers malformed Basic credentials with 401 invalid_client and a Basic challenge', async () => {
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const canonical = b64(`${m2m.app.id}:${m2m.app.secret}`);
      // Real credentials plus a wrong suffix, long enough that the base64 ends in `==` (one byte left over).
      let wrong = `${m2m.app.id}:${m2m.app.secret}-`;
      while (wrong.length % 3 !== 1) wrong += '-';
      const padded = b64(wrong);
      // The same bytes spelt otherwise: unused low bits of the last sextet set (Buffer.from ignores them).
      const sloppy = `${padded.slice(0, -3)}${String.fromCharCode(padded.charCodeAt(padded.length - 3) + 1)}==`;
      expect(Buffer.from(sloppy, 'base64').toString()).toBe(wrong);
      const cases: Record<string, string> = {
        'no colon': `Basic ${b64('no-colon-here')}`,
        'empty client id': `Basic ${b64(':secret')}`,
        'not base64': 'Basic !!!!',
        'base64url alphabet': 'Basic YWJj-_8=',
        'missing padding': `Basic ${padded.replace(/=+$/, '')}`,
        'non-canonical trailing bits': `Basic ${sloppy}`,
        'not UTF-8': `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`,
        'bad percent-encoding': `Basic ${b64('%ZZ:%E0%A4%A')}`,
      };
      for (const [what, authorization] of Object.entries(cases)) {
        const res = await send(sigil, '/oidc/token', { authorization, 'content-type': FORM }, grant());
        expect(res.status, `${what}: ${res.body}`).toBe(401);
        expect(JSON.parse(res.body).error, what).toBe('invalid_client');
        expect(res.headers['www-authenticate'], what).toBe('Basic realm="Sigil", error="invalid_client"');
      }
      // Control: the canonical spelling authenticates.
      expect((await send(sigil, '/oidc/token', { authorization: `Basic ${canonical}`, 'content-type': FORM }, grant())).status).toBe(200);
    });

    // Behind Next, node:http keeps only the first Authorization or Content-Type before Next sees the request
    // (the Fetch front refuses joined values where a platform passes them): the lean front only.
    it.runIf(mode === 'lean')('refuses a repeated Authorization or Content-Type header with 400 invalid_request', async () => {
      const good = basic(m2m.app.id, m2m.app.secret);
      for (const path of ['/oidc/token', '/oidc/token/introspection', '/oidc/token/revocation']) {
        const twoAuth = await send(sigil, path, { authorization: [good, basic('someone-else', 'x')], 'content-type': FORM }, grant());
        expect(twoAuth.status, `${path}: ${twoAuth.body}`).toBe(400);
        expect(JSON.parse(twoAuth.body)).toEqual({ error: 'invalid_request', error_description: 'the authorization header must not be repeated', code: 'oidc.invalid_request', message: 'the authorization header must not be repeated' });
        const twoTypes = await send(sigil, path, { authorization: good, 'content-type': [FORM, 'application/json'] }, grant());
        expect(twoTypes.status, `${path}: ${twoTypes.body}`).toBe(400);
        expect(JSON.parse(twoTypes.body)).toEqual({ error: 'invalid_request', error_description: 'the content-type header must not be repeated', code: 'oidc.invalid_request', message: 'the content-type header must not be repeated' });
      }
      const api = await managementClient(sigil);
      const mgmt = await send(sigil, '/api/roles', { authorization: [`Bearer ${api.accessToken}`, 'Bearer other'], 'content-type': 'application/json' }, '{"name":"dup","description":""}');
      expect(mgmt.status).toBe(400);
      expect(JSON.parse(mgmt.body)).toEqual({ code: 'guard.duplicate_header', message: 'The authorization header must not be repeated.', field: 'authorization' });
      expect((await api.get('/api/roles?search=dup')).body).toEqual([]);
    });

    it('revoking another client\'s token answers as for an unknown token and revokes nothing', async () => {
      const other = await setupM2M(sigil);
      const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app);
      const revoke = (value: string) => send(sigil, '/oidc/token/revocation', { authorization: basic(other.app.id, other.app.secret), 'content-type': FORM }, new URLSearchParams({ token: value }).toString());
      const foreign = await revoke(token.body.access_token);
      const unknown = await revoke('x'.repeat(token.body.access_token.length));
      expect({ status: foreign.status, body: foreign.body, cache: foreign.headers['cache-control'] }).toEqual({ status: 200, body: '', cache: 'no-store' });
      expect({ status: unknown.status, body: unknown.body, cache: unknown.headers['cache-control'] }).toEqual({ status: 200, body: '', cache: 'no-store' });
      const introspect = await send(sigil, '/oidc/token/introspection', { authorization: basic(m2m.app.id, m2m.app.secret), 'content-type': FORM }, new URLSearchParams({ token: token.body.access_token }).toString());
      expect(JSON.parse(introspect.body).active).toBe(true);
    });
  });
}
