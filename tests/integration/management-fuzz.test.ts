// Fuzz the Management API: for every route, malformed params, queries and bodies. Every answer is a 4xx
// JSON error naming the problem (never a 5xx), and nothing changes: no data event is recorded. Header abuse
// (repeated Authorization or Content-Type, oversized and non-Latin-1 values) too.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
beforeAll(async () => {
  sigil = await startSigil();
});
afterAll(async () => sigil?.stop());

const BAD_BODIES: unknown[] = [
  null, 42, 'text', [], [1, 2], { name: 42 }, { name: '' }, { name: 'x'.repeat(5000) }, { type: 'Nope' },
  { indicator: 'not a uri' }, { scopeIds: 'x' }, { roleIds: [] }, { roleIds: [42] }, { userIds: {} },
  { accessTokenTtl: -1 }, { accessTokenTtl: 'soon' }, { events: 'User.Created' }, { config: { url: 'ftp://x' } },
  { customData: [] }, { password: 1 }, { primaryEmail: 'not-an-email' },
  { rotationGracePeriod: -5 }, { signingKeyAlgorithm: 'DSA' }, { script: 42 }, { tokenType: 'x' },
];
const BAD_RAW = ['{', '{"name":', '\u0000', '"\\ud800"', '{"__proto__":{"isSuspended":true},"constructor":{"prototype":{"x":1}}}'];

function rejectedBy(schema: { safeParse: (v: unknown) => { success: boolean } }, raw: string): boolean {
  try {
    return !schema.safeParse(JSON.parse(raw)).success;
  } catch {
    return true; // not JSON at all
  }
}

function fill(path: string, value: string): string {
  return path.replace(/:(\w+)/g, () => encodeURIComponent(value));
}

describe('Management API fuzz', () => {
  // Sequential over every route, so the budget grows with the route table (about 0.4 s per route when quiet).
  it('answers malformed requests on every route with a 4xx JSON error and changes nothing', async () => {
    const api = await managementClient(sigil);
    const db = openDb(sigil.databaseUrl);
    const dataEvents = () => db.auditLog.count({ where: { NOT: { key: { startsWith: 'ExchangeTokenBy.' } } } });
    const before = await dataEvents();
    let requests = 0;
    try {
      for (const route of ROUTES) {
        if (route.path.includes('swagger')) continue;
        const paths = [fill(route.path, 'does-not-exist'), fill(route.path, '%ZZ'), fill(route.path, 'x'.repeat(300)), fill(route.path, "' OR 1=1 --"), fill(route.path, 'a\u0000b')];
        const queries = ['', '?page=0', '?page_size=1000', '?page=abc', '?page=-1&page_size=-1', '?search=%25%5F', '?search=%00', '?start_time=yesterday'];
        for (const path of paths) {
          for (const query of route.method === 'GET' ? queries : ['']) {
            // Only bodies the route's schema rejects: unknown keys are ignored as Logto does, so a body like
            // { name: 42 } is a valid (empty) request for a route whose fields are all optional.
            const invalid = route.body ? BAD_BODIES.filter((b) => !route.body!.safeParse(b).success) : [];
            const bodies = route.body ? [...invalid.map((b) => JSON.stringify(b)), ...BAD_RAW.filter((raw) => rejectedBy(route.body!, raw))] : [undefined];
            for (const body of bodies) {
              const res = await fetch(`${sigil.url}${path}${query}`, {
                method: route.method,
                headers: { authorization: `Bearer ${api.accessToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
                body,
              });
              requests++;
              const text = await res.text();
              const where = `${route.method} ${path}${query} ${body ?? ''} -> ${res.status} ${text.slice(0, 200)}`;
              expect(res.status, where).toBeLessThan(500);
              // Every body sent is one the route's schema rejects, and no id exists: nothing may succeed.
              if (body !== undefined) expect(res.status, where).toBeGreaterThanOrEqual(400);
              if (res.status >= 400) {
                const json = JSON.parse(text);
                expect(typeof json.code, where).toBe('string');
                expect(typeof json.message, where).toBe('string');
                expect(text, where).not.toMatch(/prisma|at .*\.ts:\d+|\bstack\b/i);
              }
            }
          }
        }
        // Wrong content type on routes with bodies.
        if (route.body) {
          const res = await fetch(`${sigil.url}${fill(route.path, 'x')}`, { method: route.method, headers: { authorization: `Bearer ${api.accessToken}`, 'content-type': 'text/plain' }, body: 'name=x' });
          expect([400, 404, 415], `${route.method} ${route.path} -> ${res.status} ${await res.clone().text()}`).toContain(res.status);
        }
      }
      expect(requests).toBeGreaterThan(500);
      const changed = await db.auditLog.findMany({ where: { NOT: { key: { startsWith: 'ExchangeTokenBy.' } } }, orderBy: { createdAt: 'asc' }, skip: before });
      expect(changed.map((r) => `${r.key} ${JSON.stringify(r.payload).slice(0, 300)}`)).toEqual([]);
    } finally {
      await db.$disconnect();
    }
  }, ROUTES.length * 1_000);

  it('answers header abuse with a 4xx JSON error and changes nothing: repeated, oversized, non-Latin-1', async () => {
    const api = await managementClient(sigil);
    const db = openDb(sigil.databaseUrl);
    const dataEvents = () => db.auditLog.count({ where: { NOT: { key: { startsWith: 'ExchangeTokenBy.' } } } });
    const before = await dataEvents();
    const body = JSON.stringify({ name: 'header-abuse', description: '' });
    const bearer = `Bearer ${api.accessToken}`;
    try {
      const twice = (headers: Record<string, string | string[]>) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: sigil.port, method: 'POST', path: '/api/roles', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          req.end(body);
        });
      const repeated: Array<[Record<string, string | string[]>, string]> = [
        [{ authorization: [bearer, bearer], 'content-type': 'application/json' }, 'authorization'],
        [{ authorization: bearer, 'content-type': ['application/json', 'application/json'] }, 'content-type'],
      ];
      for (const [headers, field] of repeated) {
        const res = await twice(headers);
        expect(res.status, res.body).toBe(400);
        expect(JSON.parse(res.body)).toEqual({ code: 'guard.duplicate_header', message: `The ${field} header must not be repeated.`, field });
      }
      const { connect } = await import('node:net');
      const raw = (extra: string) =>
        new Promise<string>((resolve) => {
          const head = `POST /api/roles HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n${extra}\r\n`;
          // write, not end: a half-closed socket is dropped before a slower answer is written.
          const socket = connect(sigil.port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body)])));
          socket.setTimeout(10_000, () => socket.destroy());
          let out = '';
          socket.on('data', (d) => (out += d));
          socket.on('close', () => resolve(out));
          socket.on('error', () => resolve(out));
        });
      const answers = {
        utf8Token: await raw(`Authorization: Bearer ✓${api.accessToken}\r\nContent-Type: application/json\r\n`),
        utf8Type: await raw(`Authorization: ${bearer}\r\nContent-Type: application/json✓\r\n`),
        control: await raw(`Authorization: ${bearer}\u0001\r\nContent-Type: application/json\r\n`),
        oversized: await raw(`Authorization: Bearer ${'a'.repeat(70_000)}\r\nContent-Type: application/json\r\n`),
        longToken: await raw(`Authorization: Bearer ${'a'.repeat(12_000)}\r\nContent-Type: application/json\r\n`),
      };
      expect(answers.utf8Token).toMatch(/^HTTP\/1\.1 401 /);
      expect(answers.utf8Type).toMatch(/^HTTP\/1\.1 415 /);
      expect(answers.control).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answers.oversized).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answers.longToken).toMatch(/^HTTP\/1\.1 401 /);
      for (const [what, answer] of Object.entries(answers)) expect(answer, what).not.toMatch(/prisma|at .*\.ts:\d+|\bstack\b/i);
      expect((await api.get('/api/roles?search=header-abuse')).body).toEqual([]);
      expect(await dataEvents()).toBe(before);
    } finally {
      await db.$disconnect();
    }
  });

  it('refuses U+0000 anywhere in a body, naming the field (PostgreSQL cannot store it)', async () => {
    const api = await managementClient(sigil);
    const role = await api.post('/api/roles', { name: 'a\u0000b', description: 'x' });
    expect(role.status).toBe(400);
    expect(role.body).toEqual({ code: 'guard.invalid_input', message: 'Invalid body: name: must not contain the NUL character', field: 'name' });
    const nested = await api.patch('/api/users/x/custom-data', { customData: { deep: ['ok', 'bad\u0000'] } });
    expect(nested.status).toBe(400);
    expect(nested.body.field).toBe('customData.deep.1');
  });
});
