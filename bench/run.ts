// `npm run bench`: Sigil vs node-oidc-provider v9 under the same load, side by side in one run.
// Every scenario in bench/scenarios/ runs: its targets alternate (warm-up each, then rounds of
// subject, baseline, subject, baseline, ...), so background load on the machine hits both alike.
// Results: a table on stdout and bench/results/latest.json. Flags: see --help.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runLoad, type RunResult } from './lib/load.ts';
import { startPeer, type PeerServer } from './lib/peer.ts';
import { summariseProfile, type ProfileSummary } from './lib/profile.ts';
import { formatProfile, formatTargets, formatVerdict, summarise, verdict, type TargetSummary, type Verdict } from './lib/report.ts';
import type { BenchContext, BenchOptions, Comparison, Scenario, Target } from './lib/scenario.ts';
import { BENCH_RESOURCE, BENCH_SCOPE } from './lib/setup.ts';
import { buildSigil, ROOT, startSigil, type SigilServer } from './lib/sigil.ts';

const HELP = `npm run bench -- [options]
  --duration <s>     seconds per measured run (default 10)
  --connections <n>  concurrent connections (default 10)
  --rounds <n>       measured runs per target, alternating (default 2, at least 1)
  --warmup <s>       warm-up seconds per target first (default 2, 0 = none)
  --scenario <name>  run only this scenario (repeatable; default: all in bench/scenarios/)
  --profile          CPU-profile Sigil and the peer during the measured runs (adds overhead)
  --skip-build       use the existing Next build even when sources are newer
Smoke run: npm run bench -- --duration 2 --warmup 1 --rounds 1`;

type AuditCheck = { label: string; delta: number; sent: number; completed: number; recorded: boolean };
type ScenarioResult = {
  name: string;
  description: string;
  notes: string[];
  targets: TargetSummary[];
  compare: Comparison;
  verdict: Verdict;
  audit: AuditCheck[];
  runs: Array<Omit<RunResult, 'latencies'> & { p50: number; p99: number }>;
};

function options(): BenchOptions {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '2' },
      scenario: { type: 'string', multiple: true, default: [] },
      profile: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min} (got ${v})`);
    return n;
  };
  return {
    duration: num('duration', values.duration, 1),
    connections: Math.floor(num('connections', values.connections, 1)),
    rounds: Math.floor(num('rounds', values.rounds, 1)),
    warmup: num('warmup', values.warmup, 0),
    profile: values.profile,
    skipBuild: values['skip-build'],
    scenarios: values.scenario,
  };
}

async function loadScenarios(only: string[]): Promise<Scenario[]> {
  const dir = join(ROOT, 'bench/scenarios');
  const scenarios: Scenario[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: Scenario };
    if (mod.default && typeof mod.default.setup === 'function') scenarios.push(mod.default);
  }
  const unknown = only.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; have: ${scenarios.map((s) => s.name).join(', ')}`);
  return only.length ? scenarios.filter((s) => only.includes(s.name)) : scenarios;
}

function machineLoad(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
  }
}

/** Waits until a counter stops moving (requests still in flight when a run stopped finish writing). */
async function settled(count: () => Promise<number>): Promise<number> {
  let last = await count();
  for (let i = 0, still = 0; i < 50 && still < 3; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await count();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

async function runScenario(scenario: Scenario, ctx: BenchContext, windows: Map<number, Array<[number, number]>>): Promise<ScenarioResult> {
  const { duration, connections, rounds, warmup } = ctx.options;
  console.log(`\n== ${scenario.name}: ${scenario.description}`);
  const setup = await scenario.setup(ctx);
  const { targets, compare } = setup;
  const byLabel = (label: string) => {
    const t = targets.find((x) => x.label === label);
    if (!t) throw new Error(`scenario ${scenario.name}: compare names ${label}, which is not a target`);
    return t;
  };
  byLabel(compare.subject);
  byLabel(compare.baseline);

  const auditBefore = new Map<string, number>();
  for (const t of targets) if (t.auditCount) auditBefore.set(t.label, await t.auditCount());
  // One checked request each before any load: a target that answers wrongly is not measured at all.
  for (const target of targets) {
    await target.before?.();
    const req = scenario.request(target);
    const res = await fetch(`${target.origin}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
    const problem = scenario.verify(target, { status: res.status, body: await res.text() });
    if (problem) throw new Error(`${scenario.name}: ${target.label} answered wrongly before measuring: ${problem}`);
    console.log(`  verified ${target.label}: 200 with a JWT access token`);
  }

  const runs: RunResult[] = [];
  const run = async (target: Target, round: number, seconds: number) => {
    await target.before?.();
    const r = await runLoad(target, scenario.request(target), { seconds, connections, round });
    runs.push(r);
    if (round > 0) windows.set(target.pid, [...(windows.get(target.pid) ?? []), r.window]);
    const s = summarise(target.label, [{ ...r, round: 1 }]);
    const bad = r.non2xx + r.errors + r.timeouts > 0 ? `  !! non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}` : '';
    console.log(
      `  ${round === 0 ? 'warm-up' : `round ${round}`} ${target.label.padEnd(8)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  (load ${r.load1.toFixed(1)})${bad}`,
    );
  };
  if (warmup > 0) for (const target of targets) await run(target, 0, warmup);
  for (let round = 1; round <= rounds; round++) for (const target of targets) await run(target, round, duration);

  const audit: AuditCheck[] = [];
  for (const target of targets.filter((t) => t.auditCount)) {
    const delta = (await settled(target.auditCount!)) - auditBefore.get(target.label)!;
    const mine = runs.filter((r) => r.label === target.label);
    // +1: the verification request. Requests in flight when a run stopped may or may not have reached
    // the server, so every completed response must be recorded, and no more than were sent.
    const sent = 1 + mine.reduce((a, r) => a + r.sent, 0);
    const completed = 1 + mine.reduce((a, r) => a + r.completed, 0);
    audit.push({ label: target.label, delta, sent, completed, recorded: delta >= completed && delta <= sent });
  }

  const summaries = targets.map((t) => summarise(t.label, runs));
  const v = verdict(summaries.find((s) => s.label === compare.subject)!, summaries.find((s) => s.label === compare.baseline)!, compare);
  return {
    name: scenario.name,
    description: scenario.description,
    notes: setup.notes ?? [],
    targets: summaries,
    compare,
    verdict: v,
    audit,
    runs: runs.map(({ latencies, ...r }) => {
      const s = summarise(r.label, [{ ...r, latencies, round: 1 }]);
      return { ...r, p50: s.p50, p99: s.p99 };
    }),
  };
}

function print(result: ScenarioResult): void {
  console.log(`\n== ${result.name} (${result.targets[0]?.runs ?? 0} measured runs per target)`);
  console.log(formatTargets(result.targets));
  console.log('');
  console.log(formatVerdict(result.verdict, result.compare));
  for (const a of result.audit) {
    console.log(
      `audit (${a.label}): ${a.delta} rows written for ${a.completed} completed / ${a.sent} sent token requests -> ` +
        (a.recorded ? 'every request recorded' : '!! requests missing from the audit log'),
    );
  }
  for (const note of result.notes) console.log(`note: ${note}`);
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  await buildSigil(opts.skipBuild);
  const loadBefore = machineLoad();
  const scenarios = await loadScenarios(opts.scenarios);
  const profileDir = opts.profile ? join(ROOT, 'bench/results/profiles') : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });

  let sigil: Promise<SigilServer> | undefined;
  let peer: Promise<PeerServer> | undefined;
  const ctx: BenchContext = {
    options: opts,
    sigil: () => (sigil ??= startSigil({ profileDir })),
    peer: () => (peer ??= startPeer({ resource: BENCH_RESOURCE, scope: BENCH_SCOPE, profileDir })),
    log: (m) => console.log(`  ${m}`),
  };

  console.log(`machine: ${cpus().length} cores, node ${process.version}; ${loadBefore}`);
  console.log(`load: ${opts.connections} connections, ${opts.duration} s x ${opts.rounds} rounds per target, warm-up ${opts.warmup} s`);
  const windows = new Map<number, Array<[number, number]>>();
  const results: ScenarioResult[] = [];
  const profiles: Record<string, ProfileSummary> = {};
  const serverLogs: Record<string, string> = {};
  try {
    for (const scenario of scenarios) results.push(await runScenario(scenario, ctx, windows));
  } finally {
    for (const [name, server] of [['sigil', sigil], ['peer', peer]] as const) {
      const loaded = await server?.catch(() => undefined);
      if (!loaded) continue;
      serverLogs[name] = loaded.logs();
      const file = await loaded.stop();
      if (file && results.length) profiles[name] = summariseProfile(file, windows.get(loaded.pid) ?? [], ROOT, 40);
    }
  }
  const loadAfter = machineLoad();

  for (const r of results) print(r);
  for (const [name, p] of Object.entries(profiles)) console.log(`\n== ${name}: ${formatProfile(p)}`);
  console.log(`\nmachine load before: ${loadBefore}\nmachine load after:  ${loadAfter}`);
  if (opts.profile) console.log('profiled run: the numbers include profiler overhead; take ratios from an unprofiled run.');

  const out = join(ROOT, 'bench/results/latest.json');
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadBefore, loadAfter },
        options: opts,
        scenarios: results,
        profiles,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results: ${out}`);

  const invalid = results.some((r) => !r.verdict.clean || r.audit.some((a) => !a.recorded));
  if (invalid) {
    console.error('!! the run is not valid: non-2xx responses, connection errors or unrecorded requests (see above)');
    for (const [name, logs] of Object.entries(serverLogs)) {
      if (logs.trim()) console.error(`-- last lines of ${name}'s output:\n${logs.trim().split('\n').slice(-20).join('\n')}`);
    }
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
