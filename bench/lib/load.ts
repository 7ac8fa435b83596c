// One load run: autocannon in a child process (pinned to the load core, or not), the server's CPU time read
// from /proc at the moment load starts and when it ends.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCores, treeCpuMs } from './proc.ts';
import type { LoadRequest } from './scenario.ts';

export const LOAD_CORE = '0';
export const SERVER_CORE = '1';

export type RunResult = {
  label: string;
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
  /** Latency percentiles of the 2xx responses, ms. */
  p50: number;
  p99: number;
  /** 2xx responses in each second of the run (a sustained run shows whether the rate holds). */
  perSecond: number[];
  /** Server CPU time (process tree) per 2xx response, ms. */
  cpuMsPerRequest: number;
  /** Monotonic clock (µs) at start and end, to cut a CPU profile to the measured windows. */
  window: [number, number];
};

const WORKER = join(import.meta.dirname, 'load-worker.mjs');
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export function runLoad(
  target: { label: string; url: string; pid: number },
  request: LoadRequest,
  options: { seconds: number; connections: number; pinned: boolean },
): Promise<RunResult> {
  const spec = { ...request, url: `${target.url}${request.path}`, connections: options.connections, seconds: options.seconds };
  // Minted bodies (thousands of codes) exceed the 128 KB limit of one argument: those go through a file.
  let arg = JSON.stringify(spec);
  if (arg.length > 64_000) {
    const file = join(mkdtempSync(join(tmpdir(), 'sigil-bench-load-')), 'spec.json');
    writeFileSync(file, arg);
    arg = `@${file}`;
  }
  const [command, args] = onCores(options.pinned ? LOAD_CORE : undefined, process.execPath, [WORKER, arg]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let cpu0 = 0;
  let t0 = 0;
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => {
    out += d;
    if (!t0 && out.startsWith('start\n')) {
      cpu0 = treeCpuMs(target.pid);
      t0 = nowUs();
    }
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (arg.startsWith('@')) rmSync(join(arg.slice(1), '..'), { recursive: true, force: true });
      const cpu1 = treeCpuMs(target.pid);
      const t1 = nowUs();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) return reject(new Error(`load generator failed (${code}): ${err || out}`));
      const r = JSON.parse(line) as Omit<RunResult, 'label' | 'rps' | 'cpuMsPerRequest' | 'window'>;
      resolve({ label: target.label, ...r, rps: r.ok / r.seconds, cpuMsPerRequest: (cpu1 - cpu0) / Math.max(1, r.ok), window: [t0, t1] });
    });
  });
}
