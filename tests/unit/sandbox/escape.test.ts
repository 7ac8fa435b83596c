// Hostile claim scripts. Each must end in the exact failure kind listed, or in a contained success
// where the attack simply finds nothing; the host process must stay healthy throughout.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineStats } from '../../../server/services/sandbox/index.ts';
import { baseInput, expectClaims, expectFailure, run, runBody, startServer, type TestServer } from './helpers.ts';

vi.setConfig({ testTimeout: 30_000 });

const SHORT = { timeoutMs: 300 };

describe('constructor chains and host objects', () => {
  it('api.denyAccess.constructor.constructor cannot compile code', async () => {
    const r = expectFailure(await runBody(`return { p: api.denyAccess.constructor.constructor('return process')() };`), 'runtime');
    expect(r.message).toMatch(/Code generation from strings is not allowed/);
  });

  it('({}).constructor.constructor("return this")().process', async () => {
    expectFailure(await runBody(`return { p: ({}).constructor.constructor('return this')().process };`), 'runtime');
  });

  it('token.__proto__ is the VM Object.prototype, and its constructor chain is blocked', async () => {
    const claims = expectClaims(
      await runBody(`
        const proto = token.__proto__;
        let escaped;
        try { escaped = proto.constructor.constructor('return typeof process')(); } catch (e) { escaped = e.name; }
        return { same: proto === Object.prototype, escaped };
      `),
    );
    expect(claims).toEqual({ same: true, escaped: 'EvalError' });
  });

  it('async/generator function constructors are blocked too', async () => {
    expectFailure(await runBody(`return { x: await (async function () {}).constructor('return 1')() };`), 'runtime');
    expectFailure(await runBody(`return { x: (function* () {}).constructor('yield 1')().next() };`), 'runtime');
    expectFailure(await runBody(`return { x: Reflect.construct(Function, ['return 1'])() };`), 'runtime');
  });

  it('eval is gone (direct and indirect)', async () => {
    expectFailure(await runBody(`return { x: eval('1') };`), 'runtime');
    expectFailure(await runBody(`return { x: (0, globalThis.eval)('1') };`), 'runtime');
  });

  it('Error.prepareStackTrace finds no host frames (contained)', async () => {
    const claims = expectClaims(
      await runBody(`
        Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis());
        const stack = new Error('x').stack;
        return { stackType: typeof stack, process: typeof process };
      `),
    );
    expect(claims).toEqual({ stackType: 'string', process: 'undefined' });
  });

  it('no Node globals are reachable (contained)', async () => {
    const claims = expectClaims(
      await runBody(`
        return {
          types: [typeof process, typeof require, typeof module, typeof exports, typeof Buffer, typeof global,
                  typeof std, typeof os, typeof setTimeout, typeof setImmediate, typeof WebAssembly, typeof SharedArrayBuffer],
          globals: Object.getOwnPropertyNames(globalThis),
        };
      `),
    );
    expect(new Set(claims.types as string[])).toEqual(new Set(['undefined']));
    const globals = claims.globals as string[];
    for (const name of ['process', 'require', 'module', 'Buffer', 'eval', 'WebAssembly', 'std', 'os']) {
      expect(globals).not.toContain(name);
    }
  });

  it('require("fs") is a ReferenceError', async () => {
    const r = expectFailure(await runBody(`return { fs: require('fs') };`), 'runtime');
    expect(r.message).toMatch(/require/);
  });

  it('import("fs") is rejected (no module loader)', async () => {
    const r = expectFailure(await runBody(`const fs = await import('fs'); return { ok: typeof fs };`), 'runtime');
    expect(r.message).toMatch(/could not load module/);
  });

  it('static import is a syntax error', async () => {
    expectFailure(await run(`import fs from 'fs';\nfunction getCustomJwtClaims() { return {}; }`), 'syntax');
  });
});

describe('prototype pollution and run isolation', () => {
  it('polluting prototypes inside the VM leaves the host and the next run clean', async () => {
    const claims = expectClaims(
      await runBody(`
        Object.prototype.polluted = 1;
        Array.prototype.polluted = 1;
        token.__proto__.viaToken = 1;
        context.constructor.prototype.viaCtor = 1;
        JSON.parse = () => ({ hijacked: true });
        return { inside: ({}).polluted, viaToken: ({}).viaToken };
      `),
    );
    expect(claims).toEqual({ inside: 1, viaToken: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).viaToken).toBeUndefined();
    expect(({} as Record<string, unknown>).viaCtor).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
    const next = expectClaims(await runBody(`return { polluted: ({}).polluted ?? null, viaToken: ({}).viaToken ?? null, parse: JSON.parse('1') };`));
    expect(next).toEqual({ polluted: null, viaToken: null, parse: 1 });
  });

  it('mutating the inputs does not touch the host objects', async () => {
    const token = { sub: 'user-1', nested: { a: 1 } };
    const context = { roles: [{ name: 'admin' }] };
    const r = await run(
      `function getCustomJwtClaims({ token, context }) { token.sub = 'evil'; token.nested.a = 2; context.roles.push({ name: 'root' }); return { sub: token.sub }; }`,
      undefined,
      { token, context } as never,
    );
    expect(expectClaims(r)).toEqual({ sub: 'evil' });
    expect(token).toEqual({ sub: 'user-1', nested: { a: 1 } });
    expect(context).toEqual({ roles: [{ name: 'admin' }] });
  });

  it('globals set by one run are not visible to the next', async () => {
    expectClaims(await runBody(`globalThis.leak = 'secret'; globalThis.fetch = () => 'hijacked'; return { set: true };`));
    const claims = expectClaims(await runBody(`return { leak: typeof leak, fetch: typeof fetch === 'function' && fetch !== undefined };`));
    expect(claims).toEqual({ leak: 'undefined', fetch: true });
  });

  it('the host Function constructor is untouched', () => {
    expect((function () {}).constructor).toBe(Function);
    expect(typeof globalThis.eval).toBe('function');
  });
});

describe('time limits', () => {
  it('while(true) before any await -> timeout', async () => {
    const r = expectFailure(await runBody(`while (true) {}`, SHORT), 'timeout');
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('while(true) after an await -> timeout', async () => {
    expectFailure(await runBody(`await null; await Promise.resolve(); while (true) {}`, SHORT), 'timeout');
  });

  it('catching the interrupt does not help -> timeout', async () => {
    expectFailure(await runBody(`try { while (true) {} } catch (e) {} finally { }\nreturn { survived: true };`, SHORT), 'timeout');
  });

  it('a promise that never resolves -> timeout', async () => {
    expectFailure(await runBody(`await new Promise(() => {}); return {};`, SHORT), 'timeout');
  });

  it('an endless chain of microtasks -> timeout', async () => {
    expectFailure(await runBody(`const spin = () => Promise.resolve().then(spin); spin(); await new Promise(() => {});`, SHORT), 'timeout');
  });

  it('a toJSON that loops while the result is serialised -> timeout', async () => {
    expectFailure(await runBody(`return { toJSON() { for (;;) {} } };`, SHORT), 'timeout');
  });

  it('setTimeout does not exist -> runtime', async () => {
    const r = expectFailure(await runBody(`setTimeout(() => {}, 10); return {};`), 'runtime');
    expect(r.message).toMatch(/setTimeout/);
  });
});

describe('memory limits', () => {
  const before = engineStats();

  it('array growth -> memory', async () => {
    expectFailure(await runBody(`const a = []; for (let i = 0; ; i++) a.push(i); return {};`, { timeoutMs: 5000 }), 'memory');
  });

  it('string doubling -> memory', async () => {
    expectFailure(await runBody(`let s = 'x'; for (;;) s += s; return {};`, { timeoutMs: 5000 }), 'memory');
  });

  it('string doubling with flattening -> memory', async () => {
    expectFailure(await runBody(`let s = 'x'; for (let i = 0; i < 40; i++) { s = s + s; s.charCodeAt(s.length - 1); } return {};`, { timeoutMs: 5000 }), 'memory');
  });

  it('object graph kept alive in a global -> memory', async () => {
    expectFailure(
      await run(`var keep = []; function getCustomJwtClaims() { for (let i = 0; ; i++) keep.push({ i, s: 'v' + i, a: [i] }); }`, { timeoutMs: 5000 }),
      'memory',
    );
  });

  it('a single huge allocation -> memory', async () => {
    expectFailure(await runBody(`const a = new Array(1e9).fill(0); return {};`, { timeoutMs: 5000 }), 'memory');
  });

  it('a smaller memory limit is honoured', async () => {
    expectFailure(await runBody(`const a = []; for (;;) a.push({ x: a.length }); return {};`, { memoryBytes: 16 * 1024 * 1024, timeoutMs: 5000 }), 'memory');
  });

  it('exhausted engines are discarded and the next run is normal', async () => {
    const after = engineStats();
    expect(after.discarded).toBeGreaterThan(before.discarded);
    expect(expectClaims(await runBody(`return { tenant: environmentVariables.TENANT };`))).toEqual({ tenant: 'acme' });
  });
});

describe('stack limits', () => {
  // These runs are about the stack, not time: a limit a loaded CI machine can meet (1 s is the default).
  const NOT_ABOUT_TIME = { timeoutMs: 5000 };

  it('deep recursion -> runtime (stack overflow)', async () => {
    const r = expectFailure(await runBody(`function f(n) { return f(n + 1) + 1; }\nreturn { x: f(0) };`, NOT_ABOUT_TIME), 'runtime');
    expect(r.message).toMatch(/stack overflow/);
  });

  it('recursion through native code (JSON.stringify of a deep object) -> runtime', async () => {
    const r = expectFailure(await runBody(`let o = {}; for (let i = 0; i < 1e5; i++) o = { o }; return { s: JSON.stringify(o).length };`, NOT_ABOUT_TIME), 'runtime');
    expect(r.message).toMatch(/stack overflow/);
  });

  it('recursion through getters, proxies and toString -> runtime', async () => {
    expectFailure(await runBody(`const o = { get x() { return this.x; } }; return { x: o.x };`, NOT_ABOUT_TIME), 'runtime');
    expectFailure(await runBody(`const p = new Proxy({}, { get(t, k) { return p[k]; } }); return { x: p.x };`, NOT_ABOUT_TIME), 'runtime');
    expectFailure(await runBody(`const o = { toString() { return String(o); } }; return { x: String(o) };`, NOT_ABOUT_TIME), 'runtime');
  });

  it('recursion QuickJS cannot see (a 200k-deep Proxy chain overflows the native stack inside WebAssembly) -> runtime, engine replaced', async () => {
    const before = engineStats().discarded;
    const r = expectFailure(await runBody(`let o = {}; for (let i = 0; i < 2e5; i++) o = new Proxy(o, {}); return { x: o.x };`, NOT_ABOUT_TIME), 'runtime');
    expect(r.message).toMatch(/stack overflow|call stack/i);
    expect(engineStats().discarded).toBeGreaterThanOrEqual(before);
    expect(expectClaims(await runBody(`return { fine: true };`, NOT_ABOUT_TIME))).toEqual({ fine: true });
  });

  it('deeply nested source code -> syntax', async () => {
    const nested = '('.repeat(100000) + '1' + ')'.repeat(100000);
    const r = expectFailure(await run(`const x = ${nested};\nfunction getCustomJwtClaims() { return {}; }`, NOT_ABOUT_TIME), 'syntax');
    expect(r.message).toMatch(/nested too deeply/);
  });

  it('returning a deeply nested object -> runtime, not a host crash', async () => {
    expectFailure(await runBody(`let o = {}; for (let i = 0; i < 1e5; i++) o = { o }; return o;`, NOT_ABOUT_TIME), 'runtime');
  });
});

describe('results', () => {
  it('huge return value (> 50 KB) -> invalid_result naming the limit', async () => {
    const r = expectFailure(await runBody(`return { blob: 'x'.repeat(60 * 1024) };`), 'invalid_result');
    expect(r.message).toMatch(/51200 bytes/);
  });

  it('multi-byte characters are counted as UTF-8 bytes', async () => {
    const r = expectFailure(await runBody(`return { blob: '\u00e9'.repeat(30 * 1024) };`), 'invalid_result');
    expect(r.message).toMatch(/limit of 51200 bytes/);
  });

  it.each([
    ['an array', `return [1, 2, 3];`],
    ['null', `return null;`],
    ['a string', `return 'claims';`],
    ['a function', `return () => ({});`],
    ['undefined', `return;`],
    ['a class instance with a cycle', `class Claims { constructor() { this.self = this; } } return new Claims();`],
    ['a plain object with a cycle', `const o = { a: 1 }; o.o = o; return o;`],
    ['a BigInt claim', `return { n: 10n };`],
    ['a Proxy whose ownKeys trap throws', `return new Proxy({}, { ownKeys() { throw new Error('trap'); } });`],
  ])('returning %s -> invalid_result', async (_label, body) => {
    expectFailure(await runBody(body), 'invalid_result');
  });
});

describe('fetch: SSRF protection', () => {
  let server: TestServer;
  let connect: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ secret: 'internal' }));
    });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    connect?.mockRestore();
  });

  function spyConnect() {
    connect = vi.spyOn(net.Socket.prototype, 'connect');
    return connect;
  }

  it('loopback by IP is blocked and the server receives nothing', async () => {
    const r = expectFailure(await runBody(`const res = await fetch('${server.url}/secret'); return await res.json();`), 'runtime');
    expect(r.message).toMatch(/blocked_address/);
    expect(server.hits).toEqual([]);
  });

  it('a name resolving to loopback (localhost) is blocked and the server receives nothing', async () => {
    const r = expectFailure(await runBody(`const res = await fetch('http://localhost:${server.port}/secret'); return await res.json();`), 'runtime');
    expect(r.message).toMatch(/blocked_address/);
    expect(server.hits).toEqual([]);
  });

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['private 10.x', 'http://10.0.0.1/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
    ['decimal-encoded loopback', 'http://2130706433/'],
    ['unspecified address', 'http://0.0.0.0/'],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
  ])('%s (%s) is refused before any connection attempt', async (_label, url) => {
    const spy = spyConnect();
    const r = expectFailure(await runBody(`await fetch('${url}'); return {};`), 'runtime');
    expect(r.message).toMatch(/blocked_address/);
    expect(r.durationMs).toBeLessThan(1000);
    expect(spy).not.toHaveBeenCalled();
  });

  it('non-http schemes are refused', async () => {
    const r = expectFailure(await runBody(`await fetch('file:///etc/passwd'); return {};`), 'runtime');
    expect(r.message).toMatch(/invalid_url/);
  });

  it('a script can catch the refusal and carry on (contained)', async () => {
    const claims = expectClaims(await runBody(`try { await fetch('${server.url}/'); return { fetched: true }; } catch (e) { return { error: e.name }; }`));
    expect(claims).toEqual({ error: 'TypeError' });
    expect(server.hits).toEqual([]);
  });

  it('with allowPrivateNetworks the loopback server is reachable and its JSON usable', async () => {
    const claims = expectClaims(
      await runBody(`const res = await fetch('${server.url}/profile'); const body = await res.json(); return { ok: res.ok, status: res.status, secret: body.secret, type: res.headers['content-type'] };`, {
        fetch: { allowPrivateNetworks: true },
      }),
    );
    expect(claims).toEqual({ ok: true, status: 200, secret: 'internal', type: 'application/json' });
    expect(server.hits).toContain('GET /profile');
  });
});

describe('host health', () => {
  it('after all of the above, a normal run still works', async () => {
    const claims = expectClaims(await run(`const getCustomJwtClaims = ({ context }) => ({ name: context.user.name });`));
    expect(claims).toEqual({ name: baseInput.context.user.name });
  });
});
