// Plain-text output: a measurement as a table, ratios with their spread over rounds, and goals as HELD / NOT HELD.
import type { ProfileSummary } from './profile.ts';
import { ratio, type Measurement, type Stat } from './rounds.ts';
import type { Goal } from './scenario.ts';

export const fmt = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const spread = (s: Stat, digits: number) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;

/** Plain-text table; `left` lists the columns aligned left (default: the first). */
export function table(rows: string[][], left: number[] = [0]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export function formatMeasurement(m: Measurement): string {
  const rows = m.targets.map((t) => [
    t.label,
    spread(t.rps, 0),
    spread(t.cpuMsPerRequest, 3),
    spread(t.p50, 2),
    spread(t.p99, 2),
    String(t.ok),
    t.failures ? `${t.failures} !!` : '0',
    fmt(t.rssMb, 0),
  ]);
  const lines = [
    `${m.title} — median (min-max) of ${m.runs.filter((r) => r.label === m.targets[0]?.label).length} rounds x ${m.seconds} s, ${m.pinned ? 'pinned' : 'unpinned'}`,
    table([['target', 'req/s', 'CPU ms/req', 'p50 ms', 'p99 ms', '2xx', 'failures', 'RSS MB'], ...rows]),
  ];
  for (const a of m.audit) {
    lines.push(`audit (${a.label}): ${a.rows} rows for ${a.completed} completed / ${a.sent} sent requests -> ${a.recorded ? 'every request recorded' : '!! requests missing from the audit log'}`);
  }
  return lines.join('\n');
}

/** "sigil/peer: throughput 2.05x (1.98-2.11), CPU/req 0.48x (...), p99 0.80x (...)" */
export function formatRatios(m: Measurement, a: string, b: string): string {
  const r = (metric: 'rps' | 'cpuMsPerRequest' | 'p99') => spread(ratio(m, a, b, metric), 2);
  return `${a}/${b}: throughput ${r('rps')}x, CPU per request ${r('cpuMsPerRequest')}x, p99 ${r('p99')}x (per-round ratios: median (min-max))`;
}

export function goal(id: string, text: string, value: number, op: Goal['op'], want?: number, extra: Partial<Goal> = {}): Goal {
  const held = op === 'report' ? true : op === '>=' ? value >= want! : value <= want!;
  return { id, text, value, op, want, unit: 'x', held: held && !Number.isNaN(value), ...extra };
}

export function formatGoals(goals: Goal[]): string {
  return table(
    [
      ['goal', 'what', 'measured', 'wanted', 'verdict'],
      ...goals.map((g) => {
        const unit = g.unit ?? 'x';
        const verdict = g.op === 'report' ? 'REPORTED' : g.held ? 'HELD' : 'NOT HELD';
        const digits = unit === 'MB' ? 0 : unit === 'ms' ? (g.value < 10 ? 3 : 0) : 2;
        return [g.id, g.text, `${fmt(g.value, digits)}${unit}`, g.op === 'report' ? '' : `${g.op} ${g.want}${unit}`, verdict + (g.detail ? `  ${g.detail}` : '')];
      }),
    ],
    [0, 1, 4],
  );
}

export function formatProfile(p: ProfileSummary, top = 20): string {
  const rows = (list: ProfileSummary['topFunctions'], head: string) =>
    table([[head, '%', 'function', 'where'], ...list.slice(0, top).map((r) => [fmt(r.selfMs, 0), fmt(r.percent, 1), r.name, r.where])], [2, 3]);
  return [
    `CPU profile ${p.file}${p.windowed ? ' (measured runs only)' : ' (whole process: windows did not match)'}`,
    `busy ${fmt(p.busyMs, 0)} ms, idle ${fmt(p.idleMs, 0)} ms (main thread; % of busy)`,
    '',
    'top self time by function:',
    rows(p.topFunctions, 'self ms'),
    '',
    'self time by package / folder:',
    table([['self ms', '%', 'group'], ...p.byGroup.slice(0, top).map((r) => [fmt(r.selfMs, 0), fmt(r.percent, 1), r.name])], [2]),
    ...(p.projectInclusive.length ? ['', 'project functions by inclusive time (synchronous stacks only):', rows(p.projectInclusive.slice(0, 15), 'incl ms')] : []),
  ].join('\n');
}
