// Latency of the script stage for a typical claims script (fresh QuickJS runtime + context per run).
// Prints median/p99; asserts only a loose bound so a loaded CI machine does not fail it.
import { describe, expect, it } from 'vitest';
import { runClaimsScript } from '../../../server/services/sandbox/index.ts';
import { baseInput } from './helpers.ts';

const SCRIPT = `const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  if (context.application.name === 'bad') api.denyAccess('nope');
  return { tenant: environmentVariables.TENANT, roles: context.roles?.map(r => r.name), sub: token.sub };
};`;

const RUNS = 2000;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

async function measure(yieldBetween: boolean): Promise<{ median: number; p99: number }> {
  const input = { ...baseInput, script: SCRIPT };
  const idle = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (let i = 0; i < 200; i++) {
    await runClaimsScript(input);
    if (yieldBetween) await idle();
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (yieldBetween) await idle();
    const started = performance.now();
    const result = await runClaimsScript(input);
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(`${result.kind}: ${result.message}`);
  }
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

describe('performance', () => {
  it(`typical script, ${RUNS} runs back to back`, async () => {
    const { median, p99 } = await measure(false);
    console.log(`[sandbox perf] back-to-back: median ${median.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    expect(median).toBeLessThan(5);
  }, 120_000);

  it(`typical script, ${RUNS} runs with the event loop turning in between (server-like)`, async () => {
    const { median, p99 } = await measure(true);
    console.log(`[sandbox perf] server-like: median ${median.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    expect(median).toBeLessThan(5);
  }, 120_000);
});
