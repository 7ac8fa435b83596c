// One load run: autocannon against one target, with latencies kept at full (sub-ms) precision and the
// server process's CPU time measured from /proc, so results stay comparable on a busy machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import type { LoadRequest, Target } from './scenario.ts';

export type RunResult = {
  label: string;
  /** 0 for the warm-up, then 1..rounds. */
  round: number;
  seconds: number;
  sent: number;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx responses per second. */
  rps: number;
  /** Latencies of the 2xx responses, ms. */
  latencies: number[];
  /** CPU time the server process used during the run, ms (undefined where /proc is missing). */
  serverCpuMs?: number;
  /** The machine's 1-minute load average at the end of the run (other work competing for the cores). */
  load1: number;
  /** Monotonic clock (µs) at start and end, to cut a CPU profile to the measured windows. */
  window: [number, number];
};

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), ms. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function runLoad(
  target: Target,
  request: LoadRequest,
  options: { seconds: number; connections: number; round: number },
): Promise<RunResult> {
  const latencies: number[] = [];
  const cpu0 = processCpuMs(target.pid);
  const t0 = nowUs();
  const instance = autocannon({
    url: `${target.origin}${request.path}`,
    method: request.method,
    headers: request.headers,
    body: request.body,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    title: target.label,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const t1 = nowUs();
  const cpu1 = processCpuMs(target.pid);
  const seconds = (t1 - t0) / 1e6;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    label: target.label,
    round: options.round,
    seconds,
    sent: result.requests.sent,
    completed,
    ok: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rps: latencies.length / seconds,
    latencies,
    serverCpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
    load1: loadavg()[0]!,
    window: [t0, t1],
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
