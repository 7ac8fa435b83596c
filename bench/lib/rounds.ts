// Alternating rounds: each target's first response is verified, then a warm-up each, then rounds of
// A, B, C, A, B, C, ... so background load on the machine hits every target alike. Pinned: the server under
// load on its core, the load generator on the other. Afterwards every target with an audit counter must have
// one audit row per completed request (and no more than were sent).
import { LOAD_CORE, runLoad, SERVER_CORE, type RunResult } from './load.ts';
import { ALL_CORES, pinTree, rssMb } from './proc.ts';
import type { LoadRequest, MeasureSpec, Target } from './scenario.ts';

export type Stat = { median: number; min: number; max: number };
export type TargetSummary = {
  label: string;
  rps: Stat;
  cpuMsPerRequest: Stat;
  p50: Stat;
  p99: Stat;
  ok: number;
  failures: number;
  statusCodes: Record<string, number>;
  /** RSS of the server's main process after its last run here, MB. */
  rssMb: number;
};
export type AuditCheck = { label: string; rows: number; completed: number; sent: number; recorded: boolean };
export type Measurement = {
  title: string;
  pinned: boolean;
  seconds: number;
  targets: TargetSummary[];
  runs: Array<Omit<RunResult, 'window'> & { round: number }>;
  audit: AuditCheck[];
};

export const stat = (values: number[]): Stat => {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
};

const requestOf = (t: Target): Promise<LoadRequest> => (typeof t.request === 'function' ? t.request() : Promise.resolve(t.request));

async function verifyFirst(target: Target): Promise<void> {
  await target.before?.();
  const req = await requestOf(target);
  const res = await fetch(`${target.server.url}${req.path}`, { method: req.method, headers: req.headers, body: req.body ?? req.bodies?.[0] });
  const problem = await target.verify({ status: res.status, body: await res.text() });
  if (problem) throw new Error(`${target.label} answered wrongly before measuring: ${problem}`);
}

/** Waits until a counter stops moving (requests in flight when a run stopped finish writing). */
async function settled(count: () => number): Promise<number> {
  let last = count();
  for (let i = 0, still = 0; i < 50 && still < 3; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = count();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

export async function measure(
  spec: Required<Omit<MeasureSpec, 'title' | 'targets'>> & Pick<MeasureSpec, 'title' | 'targets'> & { connections: number },
  log: (line: string) => void,
  windows: Map<number, Array<[number, number]>>,
): Promise<Measurement> {
  const { targets, pinned, seconds, rounds, warmup, connections } = spec;
  log(`-- ${spec.title} (${pinned ? `pinned: server on core ${SERVER_CORE}, load on core ${LOAD_CORE}` : 'unpinned'}; ${rounds} x ${seconds} s per target)`);
  const auditBefore = new Map(targets.filter((t) => t.auditCount).map((t) => [t.label, t.auditCount!()]));
  for (const t of targets) await verifyFirst(t);
  log(`   first responses verified: ${targets.map((t) => t.label).join(', ')}`);

  const runs: Measurement['runs'] = [];
  const rss = new Map<string, number>();
  const counted: Array<{ label: string; sent: number; completed: number }> = [];
  const run = async (target: Target, round: number, s: number) => {
    await target.before?.();
    pinTree(target.server.pid, pinned ? SERVER_CORE : ALL_CORES);
    const { window, ...r } = await runLoad(target.server, await requestOf(target), { seconds: s, connections, pinned });
    rss.set(target.label, rssMb(target.server.pid));
    counted.push({ label: target.label, sent: r.sent, completed: r.completed });
    if (round === 0) return;
    runs.push({ ...r, label: target.label, round });
    windows.set(target.server.pid, [...(windows.get(target.server.pid) ?? []), window]);
    const bad = r.non2xx + r.errors + r.timeouts ? `  !! non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}` : '';
    log(`   round ${round} ${target.label.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  CPU ${r.cpuMsPerRequest.toFixed(3)} ms/req  p50 ${r.p50.toFixed(2)}  p99 ${r.p99.toFixed(2)} ms${bad}`);
  };
  if (warmup > 0) for (const t of targets) await run(t, 0, warmup);
  for (let round = 1; round <= rounds; round++) for (const t of targets) await run(t, round, seconds);
  for (const t of targets) pinTree(t.server.pid, ALL_CORES);

  const audit: AuditCheck[] = [];
  for (const t of targets.filter((x) => x.auditCount)) {
    const rows = (await settled(t.auditCount!)) - auditBefore.get(t.label)!;
    // Warm-up runs count too; +1 for the verified first request. Requests in flight when a run stopped may or
    // may not have reached the server: every completed one must be recorded, and no more than were sent.
    const mine = counted.filter((r) => r.label === t.label);
    const sent = 1 + mine.reduce((a, r) => a + r.sent, 0);
    const completed = 1 + mine.reduce((a, r) => a + r.completed, 0);
    audit.push({ label: t.label, rows, completed, sent, recorded: rows >= completed && rows <= sent });
  }
  return { title: spec.title, pinned, seconds, targets: targets.map((t) => summarise(t.label, runs, rss.get(t.label) ?? NaN)), runs, audit };
}

function summarise(label: string, all: Measurement['runs'], rss: number): TargetSummary {
  const runs = all.filter((r) => r.label === label);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
  return {
    label,
    rps: stat(runs.map((r) => r.rps)),
    cpuMsPerRequest: stat(runs.map((r) => r.cpuMsPerRequest)),
    p50: stat(runs.map((r) => r.p50)),
    p99: stat(runs.map((r) => r.p99)),
    ok: runs.reduce((a, r) => a + r.ok, 0),
    failures: runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
    statusCodes,
    rssMb: rss,
  };
}

type Metric = 'rps' | 'cpuMsPerRequest' | 'p99' | 'p50';

/** a ÷ b per round (runs of one round are back to back), as median and range over the rounds. */
export function ratio(m: Measurement, a: string, b: string, metric: Metric): Stat {
  const byRound = (label: string) => new Map(m.runs.filter((r) => r.label === label).map((r) => [r.round, r[metric]]));
  const ra = byRound(a);
  const rb = byRound(b);
  return stat([...ra].filter(([round]) => rb.has(round)).map(([round, v]) => v / rb.get(round)!));
}

export const summaryOf = (m: Measurement, label: string): TargetSummary => {
  const s = m.targets.find((t) => t.label === label);
  if (!s) throw new Error(`${m.title}: no target ${label}`);
  return s;
};
