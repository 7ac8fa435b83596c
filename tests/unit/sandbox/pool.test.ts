// The worker pool's scheduling (server/services/sandbox/pool.ts): runs that find no worker fail as busy
// by their deadline, suspect runs lower their worker's priority, uninterruptible runs get their worker
// terminated and replaced, and the pool keeps serving throughout.
import { describe, expect, it } from 'vitest';
import { GRACE_MS, poolStats, runClaimsScript } from '../../../server/services/sandbox/index.ts';
import { baseInput, expectClaims, expectFailure, runBody } from './helpers.ts';

const LOOP = 'while (true) {}';

describe('worker pool', () => {
  it('a run that gets no worker before its deadline fails as busy, by its deadline (+ grace)', async () => {
    expectClaims(await runBody('return {};'));
    const workers = poolStats().workers;
    while (poolStats().ready < workers) await new Promise((r) => setTimeout(r, 20));
    const loopers = Array.from({ length: workers }, () => runBody(LOOP, { timeoutMs: 1500 }));
    await new Promise((r) => setTimeout(r, 100)); // the loopers are suspect now: nothing is queued behind them
    const started = performance.now();
    const waiting = expectFailure(await runBody('return { late: true };', { timeoutMs: 200 }), 'busy');
    expect(performance.now() - started).toBeLessThan(200 + GRACE_MS + 100);
    expect(waiting.message).toBe('The script sandbox is busy; try again');
    for (const r of await Promise.all(loopers)) expectFailure(r, 'timeout');
  });

  it('a run sent to a worker behind one that turns out to loop is taken back and runs on another worker', async () => {
    const workers = poolStats().workers;
    while (poolStats().ready < workers) await new Promise((r) => setTimeout(r, 20));
    const before = poolStats();
    // Each worker computes one run: the looper goes to the first, the quick run to the second, and the
    // third run is sent behind the (still young) looper. 20 ms later the looper is suspect: the third run,
    // not started, is taken back and the second worker runs it.
    const looper = runBody(LOOP, { timeoutMs: 1500 });
    const quick = runBody('return { quick: 1 };');
    const started = performance.now();
    expect(expectClaims(await runBody('return { behind: 1 };', { timeoutMs: 1000 }))).toEqual({ behind: 1 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(poolStats().reclaimed).toBe(before.reclaimed + 1);
    expect(expectClaims(await quick)).toEqual({ quick: 1 });
    expectFailure(await looper, 'timeout');
  });

  it('a run computing for long lowers its worker\'s priority; the pool keeps serving normal runs after it', async () => {
    const before = poolStats();
    expectFailure(await runBody(LOOP, { timeoutMs: 300 }), 'timeout');
    const after = poolStats();
    if (process.platform === 'linux') expect(after.niced).toBeGreaterThan(before.niced);
    // Back to normal priority, or (without the privilege to raise it) replaced once idle.
    for (let i = 0; i < 5; i++) expect(expectClaims(await runBody('return { tenant: environmentVariables.TENANT };'))).toEqual({ tenant: 'acme' });
  });

  it('an uninterruptible run is stopped at its limit + grace: its worker is terminated and replaced', async () => {
    const before = poolStats();
    const started = performance.now();
    const r = expectFailure(await runBody('return { n: (2n ** 1048000n).toString().length };', { timeoutMs: 300 }), 'timeout');
    expect(performance.now() - started).toBeLessThan(300 + GRACE_MS + 100);
    expect(r.durationMs).toBeLessThan(300 + GRACE_MS + 50);
    expect(poolStats().terminated).toBe(before.terminated + 1);
    expect(expectClaims(await runClaimsScript({ ...baseInput, script: 'function getCustomJwtClaims() { return { ok: 1 }; }' }))).toEqual({ ok: 1 });
  });
});
