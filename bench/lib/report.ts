// Turns runs into per-target summaries, ratios and goal verdicts, and prints them as a table.
import { percentile, type RunResult } from './load.ts';
import type { Comparison } from './scenario.ts';
import type { ProfileSummary } from './profile.ts';

export type TargetSummary = {
  label: string;
  runs: number;
  /** Mean of the measured runs' req/s (2xx only). */
  rps: number;
  rpsPerRun: number[];
  /** Over all measured 2xx responses pooled, ms. */
  p50: number;
  p99: number;
  mean: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Server CPU time per 2xx response, ms (less sensitive to other load on the machine than req/s). */
  cpuMsPerRequest?: number;
};

export type Verdict = {
  throughputRatio: number;
  p99Ratio: number;
  cpuRatio?: number;
  throughputGoal?: { want: number; held: boolean };
  p99Goal?: { want: number; held: boolean };
  clean: boolean;
};

export function summarise(label: string, runs: RunResult[]): TargetSummary {
  const measured = runs.filter((r) => r.label === label && r.round > 0);
  const latencies = measured.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sum = (f: (r: RunResult) => number) => measured.reduce((a, r) => a + f(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of measured) for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
  const cpuKnown = measured.every((r) => r.serverCpuMs !== undefined);
  return {
    label,
    runs: measured.length,
    rps: sum((r) => r.rps) / Math.max(1, measured.length),
    rpsPerRun: measured.map((r) => r.rps),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    cpuMsPerRequest: cpuKnown && sum((r) => r.ok) > 0 ? sum((r) => r.serverCpuMs!) / sum((r) => r.ok) : undefined,
  };
}

export function verdict(subject: TargetSummary, baseline: TargetSummary, compare: Comparison): Verdict {
  const throughputRatio = subject.rps / baseline.rps;
  const p99Ratio = subject.p99 / baseline.p99;
  const cpuRatio =
    subject.cpuMsPerRequest !== undefined && baseline.cpuMsPerRequest !== undefined ? subject.cpuMsPerRequest / baseline.cpuMsPerRequest : undefined;
  return {
    throughputRatio,
    p99Ratio,
    cpuRatio,
    throughputGoal: compare.minThroughputRatio !== undefined ? { want: compare.minThroughputRatio, held: throughputRatio >= compare.minThroughputRatio } : undefined,
    p99Goal: compare.maxP99Ratio !== undefined ? { want: compare.maxP99Ratio, held: p99Ratio <= compare.maxP99Ratio } : undefined,
    clean: [subject, baseline].every((t) => t.non2xx === 0 && t.errors === 0 && t.timeouts === 0),
  };
}

const f = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

/** Plain-text table; `left` lists the columns aligned left (default: the first). */
export function table(rows: string[][], left: number[] = [0]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

export function formatTargets(targets: TargetSummary[]): string {
  return table([
    ['target', 'req/s', 'per run', 'p50 ms', 'p99 ms', 'mean ms', '2xx', 'non-2xx', 'errors', 'CPU ms/req'],
    ...targets.map((t) => [
      t.label,
      f(t.rps, 0),
      t.rpsPerRun.map((r) => r.toFixed(0)).join('/'),
      f(t.p50),
      f(t.p99),
      f(t.mean),
      String(t.ok),
      t.non2xx === 0 ? '0' : `${t.non2xx} !!`,
      t.errors + t.timeouts === 0 ? '0' : `${t.errors + t.timeouts} !!`,
      f(t.cpuMsPerRequest, 3),
    ]),
  ]);
}

export function formatVerdict(v: Verdict, compare: Comparison): string {
  const mark = (held: boolean) => (held ? 'HOLDS' : 'MISSED');
  const lines = [
    `throughput ${compare.subject}/${compare.baseline}: ${f(v.throughputRatio)}x` +
      (v.throughputGoal ? `   goal >= ${v.throughputGoal.want}x: ${mark(v.throughputGoal.held)}` : ''),
    `p99        ${compare.subject}/${compare.baseline}: ${f(v.p99Ratio)}x` +
      (v.p99Goal ? `   goal <= ${v.p99Goal.want}x (no worse): ${mark(v.p99Goal.held)}` : ''),
  ];
  if (v.cpuRatio !== undefined) lines.push(`CPU/req    ${compare.subject}/${compare.baseline}: ${f(v.cpuRatio)}x   (server CPU time per token; lower is better)`);
  if (!v.clean) lines.push('!! non-2xx responses or connection errors: these numbers are not valid');
  return lines.join('\n');
}

export function formatProfile(p: ProfileSummary, top = 20): string {
  const rows = (list: ProfileSummary['topFunctions'], head: string) =>
    table([[head, '%', 'function', 'where'], ...list.slice(0, top).map((r) => [f(r.selfMs, 0), f(r.percent, 1), r.name, r.where])], [2, 3]);
  return [
    `CPU profile ${p.file}${p.windowed ? ' (measured runs only)' : ' (whole process: windows did not match)'}`,
    `busy ${f(p.busyMs, 0)} ms, idle ${f(p.idleMs, 0)} ms (main thread; % of busy)`,
    '',
    'top self time by function:',
    rows(p.topFunctions, 'self ms'),
    '',
    'self time by package / folder:',
    table([['self ms', '%', 'group'], ...p.byGroup.slice(0, top).map((r) => [f(r.selfMs, 0), f(r.percent, 1), r.name])], [2]),
    ...(p.projectInclusive.length
      ? ['', 'project functions by inclusive time (synchronous stacks only):', rows(p.projectInclusive.slice(0, 15), 'incl ms')]
      : []),
  ].join('\n');
}
