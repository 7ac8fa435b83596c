// Ordinary behaviour of runClaimsScript: script forms, inputs, errors with positions, denial,
// fetch for allowed destinations, limits, and isolation under concurrency.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, poolStats, resolveLimits, runClaimsScript } from '../../../server/services/sandbox/index.ts';
import { baseInput, expectClaims, expectFailure, run, runBody, startServer, type TestServer } from './helpers.ts';

vi.setConfig({ testTimeout: 30_000 });

const TYPICAL = `const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  if (context.application.name === 'bad') api.denyAccess('nope');
  return { tenant: environmentVariables.TENANT, roles: context.roles?.map(r => r.name), sub: token.sub };
};`;

describe('script forms and inputs', () => {
  it('runs the typical async arrow script', async () => {
    expect(expectClaims(await run(TYPICAL))).toEqual({ tenant: 'acme', roles: ['admin', 'editor'], sub: 'user-1' });
  });

  it.each([
    ['function declaration', `function getCustomJwtClaims({ token }) { return { sub: token.sub }; }`],
    ['async function declaration', `async function getCustomJwtClaims({ token }) { await null; return { sub: token.sub }; }`],
    ['const arrow', `const getCustomJwtClaims = ({ token }) => ({ sub: token.sub });`],
    ['let function expression', `let getCustomJwtClaims = function ({ token }) { return { sub: token.sub }; };`],
    ['var with helpers', `var prefix = 'u:';\nfunction helper(t) { return prefix + t.sub; }\nvar getCustomJwtClaims = ({ token }) => ({ sub: helper(token) });`],
  ])('accepts a %s', async (_label, script) => {
    const claims = expectClaims(await run(script));
    expect(String(claims.sub)).toMatch(/user-1$/);
  });

  it('passes environment variables', async () => {
    const r = await runClaimsScript({ ...baseInput, environmentVariables: { TENANT: 't-42', REGION: 'eu' }, script: `const getCustomJwtClaims = ({ environmentVariables: e }) => ({ t: e.TENANT, r: e.REGION, missing: e.NOPE ?? null });` });
    expect(expectClaims(r)).toEqual({ t: 't-42', r: 'eu', missing: null });
  });

  it('supports async work between awaits', async () => {
    const claims = expectClaims(
      await runBody(`
        const wait = (v) => new Promise((resolve) => resolve(v));
        const a = await wait(1);
        const b = await Promise.all([wait(2), wait(3)]);
        const c = await (async () => { await null; return 4; })();
        return { sum: a + b[0] + b[1] + c, list: [...new Set([1, 1, 2])], date: typeof new Date().toISOString() };
      `),
    );
    expect(claims).toEqual({ sum: 10, list: [1, 2], date: 'string' });
  });

  it('console.* is available and harmless', async () => {
    expect(expectClaims(await runBody(`console.log('hi', { a: 1 }); console.error(new Error('x')); return { ok: true };`))).toEqual({ ok: true });
  });

  it('treats null/undefined claims values as JSON does', async () => {
    expect(expectClaims(await runBody(`return { a: null, b: undefined, c: [undefined], d: 1.5, e: 'é' };`))).toEqual({ a: null, c: [null], d: 1.5, e: 'é' });
  });

  it('reports a missing getCustomJwtClaims as a runtime failure', async () => {
    const r = expectFailure(await run(`const somethingElse = () => ({});`), 'runtime');
    expect(r.message).toMatch(/getCustomJwtClaims/);
  });

  it('rejects non-serialisable host inputs with a TypeError', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(runClaimsScript({ ...baseInput, context: cyclic, script: TYPICAL })).rejects.toThrow(TypeError);
  });
});

describe('errors with positions', () => {
  it('syntax error: line and column relative to the script', async () => {
    const script = `// claims\n\nconst getCustomJwtClaims = async () => {\n  const x = ;\n  return {};\n};`;
    const r = expectFailure(await run(script), 'syntax');
    expect(r.line).toBe(4);
    expect(r.column).toBe(13);
    expect(r.message).toMatch(/SyntaxError/);
  });

  it('syntax error on the first line', async () => {
    const r = expectFailure(await run(`function getCustomJwtClaims( {`), 'syntax');
    expect(r.line).toBe(1);
    expect(r.column).toBeGreaterThan(0);
  });

  it('runtime error: message and line', async () => {
    const script = `function helper(user) {\n  return user.profile.name;\n}\n\nfunction getCustomJwtClaims({ context }) {\n  return { name: helper(context.user) };\n}`;
    const r = expectFailure(await run(script), 'runtime');
    expect(r.message).toMatch(/TypeError: cannot read property 'name' of undefined/);
    expect(r.line).toBe(2);
    expect(r.column).toBeGreaterThan(0);
  });

  it('runtime error after an await keeps its line', async () => {
    const script = `async function getCustomJwtClaims() {\n  await null;\n  await Promise.resolve();\n  throw new RangeError('bad range');\n}`;
    const r = expectFailure(await run(script), 'runtime');
    expect(r.message).toBe('RangeError: bad range');
    expect(r.line).toBe(4);
  });

  it('top-level code errors are runtime errors with a line', async () => {
    const r = expectFailure(await run(`const cfg = null;\nconst level = cfg.level;\nfunction getCustomJwtClaims() { return {}; }`), 'runtime');
    expect(r.line).toBe(2);
  });

  it('throwing a non-Error value', async () => {
    const r = expectFailure(await runBody(`throw 'plain string';`), 'runtime');
    expect(r.message).toBe('Uncaught "plain string"');
  });
});

describe('denyAccess', () => {
  it('returns kind denied with the message', async () => {
    const r = expectFailure(await run(TYPICAL, undefined, { context: { ...baseInput.context, application: { id: 'x', name: 'bad' } } }), 'denied');
    expect(r.message).toBe('nope');
  });

  it('is reported even if the script catches and swallows it', async () => {
    const r = expectFailure(await runBody(`try { api.denyAccess('blocked user'); } catch (e) {}\nreturn { sneaky: true };`), 'denied');
    expect(r.message).toBe('blocked user');
  });

  it('wins over a later failure', async () => {
    expectFailure(await runBody(`try { api.denyAccess('first'); } catch {}\nnull.x;`), 'denied');
  });

  it('has a default message and the api object is frozen', async () => {
    expect(expectFailure(await runBody(`api.denyAccess();`), 'denied').message).toBe('Access denied');
    const claims = expectClaims(
      await runBody(`return (() => { 'use strict'; let threw = false; try { api.denyAccess = () => {}; } catch (e) { threw = true; } return { frozen: Object.isFrozen(api), threw }; })();`),
    );
    expect(claims).toEqual({ frozen: true, threw: true });
  });
});

describe('fetch to allowed destinations', () => {
  let server: TestServer;
  const allow = { fetch: { allowPrivateNetworks: true } };

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/json') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-custom', 'yes');
        res.end(JSON.stringify({ plan: 'pro', seats: 5 }));
      } else if (req.url === '/echo') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null, host: req.headers.host })));
      } else if (req.url === '/big') {
        res.end('x'.repeat(2 * 1024 * 1024));
      } else if (req.url === '/hang') {
        // never answers
      } else if (req.url === '/redirect-json') {
        res.writeHead(301, { location: '/json' });
        res.end();
      } else if (req.url === '/status') {
        res.statusCode = 404;
        res.statusMessage = 'Not Found';
        res.end('missing');
      } else {
        res.end('plain text');
      }
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('json(), text(), status and headers', async () => {
    const claims = expectClaims(
      await runBody(
        `
        const a = await fetch('${server.url}/json');
        const data = await a.json();
        const b = await fetch('${server.url}/other');
        const c = await fetch('${server.url}/status');
        return { plan: data.plan, seats: data.seats, custom: a.headers.get('X-Custom'), text: await b.text(), status: c.status, ok: c.ok, statusText: c.statusText };
      `,
        allow,
      ),
    );
    expect(claims).toEqual({ plan: 'pro', seats: 5, custom: 'yes', text: 'plain text', status: 404, ok: false, statusText: 'Not Found' });
  });

  it('POST with headers and a body; Host is the URL host', async () => {
    const claims = expectClaims(
      await runBody(
        `const r = await fetch('${server.url}/echo', { method: 'POST', headers: { Authorization: 'Bearer t', Host: 'evil.example' }, body: JSON.stringify({ q: 1 }) });
         return await r.json();`,
        allow,
      ),
    );
    expect(claims).toEqual({ method: 'POST', body: '{"q":1}', auth: 'Bearer t', host: `127.0.0.1:${server.port}` });
  });

  it('parallel requests', async () => {
    const claims = expectClaims(
      await runBody(`const rs = await Promise.all([1, 2, 3].map(() => fetch('${server.url}/json').then((r) => r.json()))); return { n: rs.map((r) => r.seats) };`, allow),
    );
    expect(claims).toEqual({ n: [5, 5, 5] });
  });

  it('response larger than maxResponseBytes rejects the fetch', async () => {
    const r = expectFailure(await runBody(`await fetch('${server.url}/big'); return {};`, allow), 'runtime');
    expect(r.message).toMatch(/too_large/);
  });

  it('a hanging server ends the run as a timeout at the deadline', async () => {
    const started = Date.now();
    expectFailure(await runBody(`await fetch('${server.url}/hang'); return {};`, { ...allow, timeoutMs: 300 }), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fetch.timeoutMs bounds a single request', async () => {
    const r = expectFailure(await runBody(`await fetch('${server.url}/hang'); return {};`, { timeoutMs: 2000, fetch: { allowPrivateNetworks: true, timeoutMs: 100 } }), 'runtime');
    expect(r.message).toMatch(/timeout/);
  });

  it('follows redirects (each hop re-validated by the outbound client)', async () => {
    const claims = expectClaims(await runBody(`const r = await fetch('${server.url}/redirect-json'); return { redirected: r.redirected, url: r.url, plan: (await r.json()).plan };`, allow));
    expect(claims).toEqual({ redirected: true, url: `${server.url}/json`, plan: 'pro' });
  });

  it('at most maxRequests requests per run', async () => {
    const claims = expectClaims(
      await runBody(
        `const out = [];
         for (let i = 0; i < 4; i++) { try { await fetch('${server.url}/json'); out.push('ok'); } catch (e) { out.push(e.message.includes('at most 3') ? 'limited' : e.message); } }
         return { out };`,
        { fetch: { allowPrivateNetworks: true, maxRequests: 3 } },
      ),
    );
    expect(claims).toEqual({ out: ['ok', 'ok', 'ok', 'limited'] });
  });
});

describe('limits', () => {
  it('defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      timeoutMs: 1000,
      memoryBytes: 64 * 1024 * 1024,
      maxOutputBytes: 50 * 1024,
      fetch: { maxResponseBytes: 1024 * 1024, allowPrivateNetworks: false, maxRequests: 10 },
    });
  });

  it('clamps timeouts to 5 s and merges partial fetch limits', () => {
    const limits = resolveLimits({ timeoutMs: 60_000, fetch: { maxRequests: 2 } });
    expect(limits.timeoutMs).toBe(5000);
    expect(limits.fetch).toEqual({ maxResponseBytes: 1024 * 1024, allowPrivateNetworks: false, maxRequests: 2 });
  });

  it('maxOutputBytes is configurable', async () => {
    const r = expectFailure(await runBody(`return { s: 'x'.repeat(200) };`, { maxOutputBytes: 100 }), 'invalid_result');
    expect(r.message).toMatch(/limit of 100 bytes/);
  });

  it('durationMs is reported', async () => {
    const r = await run(TYPICAL);
    expect(r.durationMs).toBeGreaterThan(0);
    expect(r.durationMs).toBeLessThan(1000);
  });
});

describe('isolation', () => {
  it('sequential runs do not share state', async () => {
    const script = `var counter = (globalThis.counter ?? 0) + 1; globalThis.counter = counter; Object.prototype.seen = (Object.prototype.seen ?? 0) + 1;
      function getCustomJwtClaims() { return { counter, seen: ({}).seen }; }`;
    for (let i = 0; i < 5; i++) expect(expectClaims(await run(script))).toEqual({ counter: 1, seen: 1 });
  });

  it('a memory bomb running concurrently does not disturb other runs', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('{"v":1}'), 150));
    // Every worker up first: one replaced after an earlier test's timeout may still be starting, and a
    // run can only wait for it (as `busy` once its deadline passes) — that is not the bomb's doing.
    while (poolStats().ready < poolStats().workers) await new Promise((r) => setTimeout(r, 20));
    try {
      const slow = Array.from({ length: 4 }, (_, i) =>
        runBody(`const r = await fetch('${server.url}/'); const j = await r.json(); return { i: ${i}, v: j.v };`, { timeoutMs: 5000, fetch: { allowPrivateNetworks: true } }),
      );
      const bomb = runBody(`const a = []; for (;;) a.push({ x: a.length });`, { timeoutMs: 5000 });
      // 1 s, not less: under a loaded CI the run may wait for a thread, and a deadline spent waiting is
      // `busy`. (Sent behind the bomb, it is taken back once the bomb is suspect: pool.ts, reclaim.)
      const spin = runBody(`while (true) {}`, { timeoutMs: 1000 });
      const [results, bombResult, spinResult] = await Promise.all([Promise.all(slow), bomb, spin]);
      results.forEach((r, i) => expect(expectClaims(r)).toEqual({ i, v: 1 }));
      // Stopped by one of its limits: memory, normally. Its worker yields the CPU once the run is suspect
      // (priority.ts), so on a machine loaded by other work it may reach its 5 s deadline first.
      expect(bombResult.ok ? 'ok' : bombResult.kind).toMatch(/^(memory|timeout)$/);
      expectFailure(spinResult, 'timeout');
    } finally {
      await server.close();
    }
  });
});
