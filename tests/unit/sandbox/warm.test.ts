// Warm contexts (runClaimsScriptWarm): one hardened QuickJS context per script version, reused.
// Isolation that must still hold: no run can change intrinsics or globals a later run sees (same
// script or any other), failures discard the context, keys separate scripts, env and limits, and the
// results are the cold path's results.
import { describe, expect, it, vi } from 'vitest';
import { poolStats, runClaimsScript, runClaimsScriptWarm, warmStats, type SandboxLimitsInput, type SandboxResult } from '../../../server/services/sandbox/index.ts';
import { baseInput, expectClaims, expectFailure, startServer } from './helpers.ts';

vi.setConfig({ testTimeout: 30_000 });

function warm(script: string, limits?: SandboxLimitsInput, extra?: { token?: unknown; context?: unknown; environmentVariables?: Record<string, string> }): Promise<SandboxResult> {
  return runClaimsScriptWarm({ ...baseInput, ...extra, script, limits });
}

/** A script whose top-level counter shows whether two runs shared a context. */
const counter = (tag: string) => `let runs = 0; // ${tag}
function getCustomJwtClaims({ token, environmentVariables }) {
  runs++;
  if (token.sub === 'boom') throw new Error('boom after ' + runs);
  return { runs, tenant: environmentVariables.TENANT ?? null };
}`;

describe('reuse', () => {
  it('the same script version reuses one context (its top-level state persists, by design)', async () => {
    const script = counter('reuse');
    const before = warmStats().built;
    expect(expectClaims(await warm(script))).toEqual({ runs: 1, tenant: 'acme' });
    expect(expectClaims(await warm(script))).toEqual({ runs: 2, tenant: 'acme' });
    expect(expectClaims(await warm(script))).toEqual({ runs: 3, tenant: 'acme' });
    expect(warmStats().built).toBe(before + 1);
  });

  it('the same script with different environmentVariables gets a different context', async () => {
    const script = counter('env');
    expect(expectClaims(await warm(script))).toEqual({ runs: 1, tenant: 'acme' });
    expect(expectClaims(await warm(script, undefined, { environmentVariables: { TENANT: 'globex' } }))).toEqual({ runs: 1, tenant: 'globex' });
    expect(expectClaims(await warm(script))).toEqual({ runs: 2, tenant: 'acme' });
    expect(expectClaims(await warm(script, undefined, { environmentVariables: { TENANT: 'globex' } }))).toEqual({ runs: 2, tenant: 'globex' });
    // Different limits are a different key too.
    expect(expectClaims(await warm(script, { timeoutMs: 900 }))).toEqual({ runs: 1, tenant: 'acme' });
  });

  it('inputs are fresh copies each run: mutating them does not carry over', async () => {
    const script = `function getCustomJwtClaims({ token, context }) {
      const seen = { sub: token.sub, roles: context.roles.length };
      token.sub = 'evil'; context.roles.push({ name: 'root' });
      return seen;
    }`;
    const hostContext = structuredClone(baseInput.context);
    for (let i = 0; i < 3; i++) {
      expect(expectClaims(await warm(script, undefined, { context: hostContext }))).toEqual({ sub: 'user-1', roles: 2 });
    }
    expect(hostContext).toEqual(baseInput.context);
  });
});

describe('hardening: a run cannot change what a later run sees', () => {
  const attacker = `function getCustomJwtClaims() {
    const tried = {};
    const attempt = (name, fn) => { try { fn(); tried[name] = 'changed'; } catch (e) { tried[name] = e.name; } };
    attempt('objectProto', () => { Object.prototype.x = 1; });
    attempt('arrayMap', () => { Array.prototype.map = function () { return ['hijacked']; }; });
    attempt('global', () => { globalThis.y = 2; });
    attempt('jsonParse', () => { JSON.parse = () => ({ hijacked: true }); });
    attempt('promiseThen', () => { Promise.prototype.then = function () {}; });
    attempt('defineOnProto', () => { Object.defineProperty(Function.prototype, 'z', { value: 3 }); });
    attempt('replaceFetch', () => { fetch = () => 'hijacked'; });
    attempt('replaceSelf', () => { getCustomJwtClaims = () => ({ hijacked: true }); });
    attempt('mathRandom', () => { Math.random = () => 4; });
    attempt('errorProtoName', () => { Error.prototype.name = 'Hijacked'; });
    return {
      tried,
      x: ({}).x ?? null, y: typeof y, map: [1, 2].map((v) => v * 2), parse: JSON.parse('{"a":1}'),
      z: (function () {}).z ?? null, random: Math.random() < 1,
    };
  }`;
  const clean = { x: null, y: 'undefined', map: [2, 4], parse: { a: 1 }, z: null, random: true };

  it('pollution attempts in run 1 fail (strict or not) and run 2 of the same script sees clean intrinsics', async () => {
    const first = expectClaims(await warm(attacker));
    expect(first).toEqual({
      tried: {
        objectProto: 'changed', // sloppy-mode assignment to a frozen object fails silently...
        arrayMap: 'changed',
        global: 'changed',
        jsonParse: 'changed',
        promiseThen: 'changed',
        defineOnProto: 'TypeError', // ...defineProperty always throws
        replaceFetch: 'changed',
        replaceSelf: 'changed',
        mathRandom: 'changed',
        errorProtoName: 'TypeError', // a tamed prototype property throws when assigned on the prototype itself
      },
      ...clean, // ...and nothing actually changed
    });
    const second = expectClaims(await warm(attacker));
    expect(second).toEqual(first);
  });

  it('in strict mode the same attempts throw TypeError, and nothing changes', async () => {
    const strict = `'use strict';\n${attacker}`;
    const first = expectClaims(await warm(strict));
    for (const [name, outcome] of Object.entries(first.tried as Record<string, string>)) expect([name, outcome]).toEqual([name, 'TypeError']);
    expect(first).toMatchObject(clean);
    expect(expectClaims(await warm(strict))).toEqual(first);
  });

  it('top-level pollution at build time does not reach any other script', async () => {
    const polluter = `Object.prototype.leaked = 'yes'; globalThis.shared = 'yes'; Array.prototype.extra = 1;
      function getCustomJwtClaims() { return { leaked: ({}).leaked, shared: typeof shared }; }`;
    expect(expectClaims(await warm(polluter))).toEqual({ leaked: 'yes', shared: 'string' });
    const other = `function getCustomJwtClaims() { return { leaked: ({}).leaked ?? null, shared: typeof shared, extra: [].extra ?? null }; }`;
    expect(expectClaims(await warm(other))).toEqual({ leaked: null, shared: 'undefined', extra: null });
    expect(expectClaims(await warm(polluter))).toEqual({ leaked: 'yes', shared: 'string' });
    expect(expectClaims(await warm(other))).toEqual({ leaked: null, shared: 'undefined', extra: null });
  });

  it('the usual assignments that freezing would break still work (override taming)', async () => {
    const script = `'use strict';
      class ClaimError extends Error { constructor(m) { super(m); this.name = 'ClaimError'; } }
      function Legacy() {} Legacy.prototype = Object.create(Error.prototype); Legacy.prototype.constructor = Legacy;
      function getCustomJwtClaims() {
        const o = {}; o.toString = () => 'custom'; o.valueOf = () => 7; o.constructor = 'c';
        const e = new Error('m'); e.message = 'changed';
        return { name: new ClaimError('x').name, legacy: new Legacy().constructor === Legacy, str: String(o), num: +o,
          message: e.message, base: new Error('n').name, ctor: o.constructor };
      }`;
    const expected = { name: 'ClaimError', legacy: true, str: 'custom', num: 7, message: 'changed', base: 'Error', ctor: 'c' };
    expect(expectClaims(await runClaimsScript({ ...baseInput, script }))).toEqual(expected);
    expect(expectClaims(await warm(script))).toEqual(expected);
    expect(expectClaims(await warm(script))).toEqual(expected);
  });

  it('api.denyAccess still works in a hardened context', async () => {
    const script = `function getCustomJwtClaims({ api, token }) { if (token.sub === 'user-1') api.denyAccess('no ' + token.sub); return {}; }`;
    expect(expectFailure(await warm(script), 'denied').message).toBe('no user-1');
    expect(expectFailure(await warm(script), 'denied').message).toBe('no user-1');
  });
});

describe('discarding', () => {
  it('a failure discards the context: the next run starts fresh', async () => {
    const script = counter('failure');
    expect(expectClaims(await warm(script))).toEqual({ runs: 1, tenant: 'acme' });
    expect(expectClaims(await warm(script))).toEqual({ runs: 2, tenant: 'acme' });
    expect(expectFailure(await warm(script, undefined, { token: { sub: 'boom' } }), 'runtime').message).toBe('Error: boom after 3');
    expect(expectClaims(await warm(script))).toEqual({ runs: 1, tenant: 'acme' });
    expect(expectClaims(await warm(script))).toEqual({ runs: 1, tenant: 'acme' }); // rebuilt after a cold success
    expect(expectClaims(await warm(script))).toEqual({ runs: 2, tenant: 'acme' });
  });

  it('an infinite loop in a warm context is a timeout and the next run works', async () => {
    const script = `let runs = 0; function getCustomJwtClaims({ token }) { runs++; if (token.sub === 'loop') for (;;) {} return { runs }; }`;
    expect(expectClaims(await warm(script, { timeoutMs: 300 }))).toEqual({ runs: 1 });
    expectFailure(await warm(script, { timeoutMs: 300 }, { token: { sub: 'loop' } }), 'timeout');
    expect(expectClaims(await warm(script, { timeoutMs: 300 }))).toEqual({ runs: 1 });
  });

  it('a memory bomb in a warm context is contained and the next run works', async () => {
    const script = `let runs = 0; const keep = [];
      function getCustomJwtClaims({ token }) { runs++; if (token.sub === 'bomb') for (;;) keep.push({ s: 'v' + keep.length }); return { runs, kept: keep.length }; }`;
    const limits = { timeoutMs: 5000, memoryBytes: 16 * 1024 * 1024 };
    expect(expectClaims(await warm(script, limits))).toEqual({ runs: 1, kept: 0 });
    expectFailure(await warm(script, limits, { token: { sub: 'bomb' } }), 'memory');
    expect(expectClaims(await warm(script, limits))).toEqual({ runs: 1, kept: 0 });
    expect(expectClaims(await warm(script, limits))).toEqual({ runs: 1, kept: 0 });
    expect(expectClaims(await warm(script, limits))).toEqual({ runs: 2, kept: 0 });
  });

  it('a run that leaves a fetch or a job behind is not reused', async () => {
    const script = `let runs = 0; function getCustomJwtClaims() { runs++; fetch('https://example.invalid/'); return { runs }; }`;
    expect(expectClaims(await warm(script))).toEqual({ runs: 1 });
    expect(expectClaims(await warm(script))).toEqual({ runs: 1 });
    const jobs = `let runs = 0; function getCustomJwtClaims() { runs++; Promise.resolve().then(() => new Promise(() => {})).then(() => 1); return { runs }; }`;
    expect(expectClaims(await warm(jobs))).toEqual({ runs: 1 });
  });

  it('concurrent runs of one script never share a context (a run awaiting fetch keeps it busy)', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('{"v":1}'), 100));
    try {
      const script = `let inside = 0; async function getCustomJwtClaims({ environmentVariables }) {
        inside++; const seen = inside;
        const body = await (await fetch(environmentVariables.URL)).json();
        inside--; return { seen, v: body.v };
      }`;
      const extra = { environmentVariables: { URL: `${server.url}/slow` } };
      const limits = { fetch: { allowPrivateNetworks: true } };
      expect(expectClaims(await warm(script, limits, extra))).toEqual({ seen: 1, v: 1 });
      const before = warmStats();
      const results = await Promise.all([warm(script, limits, extra), warm(script, limits, extra), warm(script, limits, extra)]);
      for (const r of results) expect(expectClaims(r)).toEqual({ seen: 1, v: 1 });
      // Exactly one of the three used the existing warm context. The other two ran cold beside it, or
      // (dispatched to another worker thread, which has its own warm contexts) in a context of their own.
      const after = warmStats();
      expect(after.coldFallbacks - before.coldFallbacks + (after.built - before.built)).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('at most 4 warm contexts are kept per worker thread (LRU)', async () => {
    for (let i = 0; i < 7; i++) expectClaims(await warm(`function getCustomJwtClaims() { return { i: ${i} }; }`));
    const { warmPerWorker } = poolStats();
    expect(warmPerWorker.length).toBeGreaterThan(0);
    for (const n of warmPerWorker) expect(n).toBeLessThanOrEqual(4);
    expect(Math.max(...warmPerWorker)).toBe(4);
  });
});

describe('same results as cold runs', () => {
  const scripts: Record<string, string> = {
    roles: `const getCustomJwtClaims = async ({ token, context, environmentVariables }) => ({
      tenant: environmentVariables.TENANT, roles: context.roles.map((r) => r.name), sub: token.sub });`,
    conditional: `function getCustomJwtClaims({ context }) {
      const claims = {}; if (context.user.email.endsWith('@example.com')) claims.internal = true;
      claims.name = context.user.name.toUpperCase(); return claims; }`,
    dates: `function getCustomJwtClaims() { return { y: new Date(0).getUTCFullYear(), j: JSON.stringify({ a: [1, 'b'] }) }; }`,
    syntax: `function getCustomJwtClaims( { return {}; }`,
    missing: `function notIt() {}`,
    array: `function getCustomJwtClaims() { return [1]; }`,
    throws: `function getCustomJwtClaims() { null.x; }`,
    big: `function getCustomJwtClaims() { return { s: 'x'.repeat(60000) }; }`,
    cyclic: `function getCustomJwtClaims() { const a = {}; a.a = a; return a; }`,
    denied: `async function getCustomJwtClaims({ api }) { try { api.denyAccess('blocked'); } catch {} return { ok: 1 }; }`,
  };
  for (const [name, script] of Object.entries(scripts)) {
    it(name, async () => {
      const strip = ({ durationMs: _d, ...rest }: SandboxResult) => rest;
      const cold = strip(await runClaimsScript({ ...baseInput, script }));
      expect(strip(await warm(script))).toEqual(cold);
      expect(strip(await warm(script))).toEqual(cold);
    });
  }
});

describe('performance', () => {
  it('median warm run of a typical script (reads context, returns three claims) < 0.2 ms', async () => {
    const script = `const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
      if (context.application.name === 'bad') api.denyAccess('nope');
      return { tenant: environmentVariables.TENANT, roles: context.roles?.map(r => r.name), sub: token.sub };
    };`;
    for (let i = 0; i < 200; i++) expectClaims(await warm(script));
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const started = performance.now();
      const r = await warm(script);
      times.push(performance.now() - started);
      if (!r.ok) throw new Error(`${r.kind}: ${r.message}`);
    }
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1]!;
    const p99 = times[Math.floor(times.length * 0.99)]!;
    console.log(`[sandbox perf] warm: median ${median.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    expect(median).toBeLessThan(0.2);
  }, 60_000);
});
