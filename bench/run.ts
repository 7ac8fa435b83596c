// `npm run bench`: Sigil against node-oidc-provider 9 (the peer) and a bare node:http signer (the ceiling), side
// by side in one run, and the issue's goals as HELD / NOT HELD. Scenarios are the files in bench/scenarios/;
// the servers are shared between them and started on first use. Results: stdout and
// bench/results/<timestamp>.json. Flags: `npm run bench -- --help`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCeiling } from './lib/ceiling.ts';
import { load, machine } from './lib/machine.ts';
import { parseOptions } from './lib/options.ts';
import { startPeer } from './lib/peer.ts';
import { mainThreadProfile, summariseProfile, type ProfileSummary } from './lib/profile.ts';
import { formatGoals, formatMeasurement, formatProfile } from './lib/report.ts';
import { measure } from './lib/rounds.ts';
import type { BenchContext, Scenario, ScenarioOutcome, Server } from './lib/scenario.ts';
import { buildSigil, startSigil } from './lib/sigil.ts';

const BENCH_ROOT = join(import.meta.dirname, '..');
const ORDER = ['client-credentials', 'introspection', 'vercel', 'custom-claims', 'authorization-code'];

async function loadScenarios(only: string[]): Promise<Scenario[]> {
  const dir = join(BENCH_ROOT, 'bench/scenarios');
  const all: Scenario[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: Scenario };
    if (mod.default?.run) all.push(mod.default);
  }
  const rank = (s: Scenario) => (ORDER.includes(s.name) ? ORDER.indexOf(s.name) : ORDER.length);
  all.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; have: ${all.map((s) => s.name).join(', ')}`);
  return only.length ? all.filter((s) => only.includes(s.name)) : all;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date();
  const info = machine(BENCH_ROOT, options.sigilRoot);
  const scenarios = await loadScenarios(options.scenarios);
  await buildSigil(options.sigilRoot, options.skipBuild);
  const profileDir = options.profile ? join(BENCH_ROOT, 'bench/results/profiles') : undefined;
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });

  const log = (line: string) => console.log(line);
  const windows = new Map<number, Array<[number, number]>>();
  const shared = new Map<string, Promise<Server>>();
  const once = <T extends Server>(name: string, start: () => Promise<T>) => () => {
    if (!shared.has(name)) shared.set(name, start());
    return shared.get(name) as Promise<T>;
  };
  const ctx: BenchContext = {
    options,
    sigil: once('sigil', () => startSigil(options.sigilRoot, profileDir && join(profileDir, 'sigil'))),
    peer: once('peer', () => startPeer(BENCH_ROOT, profileDir && join(profileDir, 'peer'))),
    ceiling: once('ceiling', () => startCeiling(BENCH_ROOT)),
    measure: (spec) =>
      measure({ pinned: true, seconds: options.seconds, rounds: options.rounds, warmup: options.warmup, connections: options.connections, ...spec }, log, windows),
    log: (m) => log(`   ${m}`),
    profileDir,
    windows: (pid) => windows.get(pid) ?? [],
  };

  log(`machine: ${info.cpu}, ${info.cores} cores, node ${info.node}, taskset ${info.taskset}; Sigil ${info.commit?.slice(0, 10)}${info.dirty ? ' (modified)' : ''} from ${options.sigilRoot}`);
  log(`load average before: ${load()}; ${options.connections} connections, ${options.rounds} x ${options.seconds} s rounds, warm-up ${options.warmup} s, sustained ${options.sustained} s${options.quick ? ' (--quick: rough numbers)' : ''}`);
  const outcomes: Array<ScenarioOutcome & { name: string; description: string; error?: string }> = [];
  const profiles: Record<string, ProfileSummary> = {};
  try {
    for (const scenario of scenarios) {
      log(`\n== ${scenario.name}: ${scenario.description}`);
      try {
        const outcome = await scenario.run(ctx);
        outcomes.push({ name: scenario.name, description: scenario.description, ...outcome });
        for (const m of outcome.measurements) log(`\n${formatMeasurement(m)}`);
        for (const note of outcome.notes) log(`note: ${note}`);
      } catch (error) {
        log(`!! ${scenario.name} failed: ${(error as Error).stack ?? error}`);
        outcomes.push({ name: scenario.name, description: scenario.description, measurements: [], goals: [], notes: [], error: String(error) });
      }
    }
  } finally {
    for (const [name, server] of shared) {
      const s = await server.catch(() => undefined);
      if (!s) continue;
      await s.stop();
      const file = profileDir && mainThreadProfile(join(profileDir, name));
      if (file) profiles[name] = summariseProfile(file, windows.get(s.pid) ?? [], options.sigilRoot, 40);
    }
  }

  for (const [name, p] of Object.entries(profiles)) log(`\n== profile of ${name}: ${formatProfile(p)}`);
  const goals = outcomes.flatMap((o) => o.goals);
  log(`\n== goals (issue 14), Sigil ${info.commit?.slice(0, 10)}; load average after: ${load()}`);
  log(formatGoals(goals));
  if (options.profile) log('profiled run: the numbers include profiler overhead; take ratios from an unprofiled run.');

  const file = join(BENCH_ROOT, 'bench/results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(join(BENCH_ROOT, 'bench/results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ startedAt, finishedAt: new Date(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), machine: info, options, scenarios: outcomes, goals, profiles }, null, 2)}\n`);
  log(`results: ${file}`);

  const invalid = outcomes.some((o) => o.error || o.measurements.some((m) => m.targets.some((t) => t.failures) || m.audit.some((a) => !a.recorded)));
  if (invalid) {
    console.error('!! the run is not valid: a scenario failed, or there were non-2xx responses, connection errors or unrecorded requests (see above)');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
