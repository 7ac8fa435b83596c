// Warm contexts for token issuance: one QuickJS context per script version, reused across runs.
// Runs inside a sandbox worker thread: each worker keeps its own warm contexts.
//
// A cold run (run.ts) builds a runtime + context, evaluates the prelude and the admin's script for
// every token: ~0.6 ms of CPU. A warm context is keyed by a hash of the exact script text, the
// environment variables and the resolved limits, and built once: prelude, HARDEN_CAPTURE, the
// script, then harden() (harden.ts: deep-frozen intrinsics, non-extensible global). Each run then
// only calls getCustomJwtClaims with fresh JSON copies of token/context/environmentVariables, under
// the same deadline, interrupt handler, output limits and failure kinds as a cold run; the engine's
// WebAssembly.Memory maximum still bounds memory (the warm context owns its engine exclusively).
//
// What may persist between runs of the SAME script version: the script's own top-level state
// (let/const/var bindings and the objects they hold), as Auth0 Actions document for their global
// scope. Nothing else: intrinsics and globalThis are frozen, inputs are copies, and different
// keys never share a context (or an engine).
//
// A warm context is discarded (context disposed, engine returned to the pool or dropped) after any
// failure of any kind (denied included), after MAX_RUNS runs, when its engine's memory grew by more
// than half its headroom (or past 32 MiB), when a run left queued jobs or fetches behind, or when it is
// the least recently used of more than MAX_WARM. After a failure the key runs cold until a run
// succeeds, so a script that always fails costs what it costs cold, not a rebuild per run.
// One run at a time per context: a run that awaits a fetch keeps the context busy, and a concurrent
// request for the same key runs cold.
import { createHash } from 'node:crypto';
import { disposeContext } from './context.ts';
import { acquireEngine, releaseEngine, type Engine } from './engine.ts';
import type { WarmState } from './harden.ts';
import type { SandboxLimits } from '../types.ts';
import { failure, runCold, ScriptRun, type Outcome, type RunSpec } from './run.ts';

const MAX_WARM = 4;
const MAX_RUNS = 5000;
/**
 * Discard once the engine's linear memory (which never shrinks) grew by more than this fraction of
 * the headroom it had after the build, or past RECYCLE_ABOVE_BYTES: a run that needed that much
 * should not leave the next one with less.
 */
const GROWTH_FRACTION = 0.5;
const RECYCLE_ABOVE_BYTES = 32 * 1024 * 1024;
const MAX_FAILING_KEYS = 1000;

interface WarmEntry {
  key: string;
  engine: Engine;
  state: WarmState;
  runs: number;
  busy: boolean;
  /** Linear memory size once built (null until then). */
  builtBytes: number | null;
}

function memoryGrown(entry: WarmEntry): boolean {
  const bytes = entry.engine.memory.buffer.byteLength;
  entry.builtBytes ??= bytes;
  return bytes > RECYCLE_ABOVE_BYTES || bytes - entry.builtBytes > (entry.engine.maxBytes - entry.builtBytes) * GROWTH_FRACTION;
}

type WarmPool = {
  entries: Map<string, WarmEntry>;
  /** Keys whose last run failed: they run cold until a run succeeds (a rebuild costs ~10 ms). */
  failing: Set<string>;
  built: number;
  discarded: number;
  coldFallbacks: number;
};

const pool: WarmPool = { entries: new Map(), failing: new Set(), built: 0, discarded: 0, coldFallbacks: 0 };

// The last key computed: issuance calls with the same cached script string on every token, so this skips
// re-hashing up to 50 KB of script per run. Environment and limits are compared by value (small).
let lastKey: { script: string; rest: string; key: string } | undefined;

/**
 * The key of a script version: script, inputs other than token/context (environment variables, output
 * limit: the tail of inputJson after the context) and limits. Token and context differ on every run.
 */
export function warmKey(script: string, environmentJson: string, limits: SandboxLimits): string {
  const rest = `${environmentJson}|${JSON.stringify(limits)}`;
  if (lastKey && lastKey.script === script && lastKey.rest === rest) return lastKey.key;
  const key = createHash('sha256').update(script).update('\0').update(rest).digest('base64url');
  lastKey = { script, rest, key };
  return key;
}

function drop(entry: WarmEntry, run: ScriptRun | null): void {
  if (pool.entries.get(entry.key) === entry) pool.entries.delete(entry.key);
  pool.discarded++;
  let discardEngine = true;
  if (run) discardEngine = run.finish(false);
  else if (entry.engine.healthy && entry.state.prepared) {
    try {
      disposeContext(entry.state.prepared);
      discardEngine = false;
    } catch {
      entry.engine.healthy = false;
    }
  }
  entry.state.prepared = null;
  releaseEngine(entry.engine, discardEngine);
}

/** Makes room for one more entry: evicts the least recently used idle one. False if all are busy. */
function makeRoom(): boolean {
  if (pool.entries.size < MAX_WARM) return true;
  for (const entry of pool.entries.values()) {
    if (!entry.busy) {
      drop(entry, null);
      return true;
    }
  }
  return false;
}

/**
 * Runs an admin's claims script in the warm context of its script version (building it on first
 * use). Same results as runCold; falls back to a cold run when the context is busy with another run
 * (awaiting a fetch) or every warm slot is busy.
 */
export async function runWarm(spec: RunSpec, environmentJson: string): Promise<Outcome> {
  const key = warmKey(spec.script, environmentJson, spec.limits);

  if (pool.failing.has(key)) {
    // A script that keeps failing would pay a warm build per run: run it cold until it succeeds.
    const cold = await runCold(spec);
    if (cold.ok) pool.failing.delete(key);
    return cold;
  }
  let entry = pool.entries.get(key);
  if (entry?.busy) {
    pool.coldFallbacks++;
    return runCold(spec);
  }
  if (!entry) {
    if (!makeRoom()) {
      pool.coldFallbacks++;
      return runCold(spec);
    }
    // Always reached through an await, so VM code starts from a shallow host stack.
    const engine = await acquireEngine(spec.limits.memoryBytes, spec.deadline);
    if (!engine) return failure('busy', 'The script sandbox is busy; try again');
    // Another run may have built this key meanwhile: keep one, run this one cold in its engine.
    const raced = pool.entries.get(key);
    if (raced || !makeRoom()) {
      releaseEngine(engine, false);
      pool.coldFallbacks++;
      return runCold(spec);
    }
    entry = { key, engine, state: { prepared: null }, runs: 0, busy: false, builtBytes: null };
    pool.entries.set(key, entry);
    pool.built++;
  } else {
    // LRU order: most recently used last.
    pool.entries.delete(key);
    pool.entries.set(key, entry);
    // VM code must start from a shallow host stack, as in a cold run.
    await Promise.resolve();
    if (entry.busy || pool.entries.get(key) !== entry) {
      pool.coldFallbacks++;
      return runCold(spec);
    }
  }

  entry.busy = true;
  entry.runs++;
  const run = new ScriptRun(entry.engine, spec, entry.state);
  let outcome: Outcome = failure('runtime', 'Sandbox failure');
  try {
    outcome = await run.execute();
  } finally {
    entry.busy = false;
    const keep =
      outcome.ok &&
      entry.state.prepared !== null &&
      entry.runs < MAX_RUNS &&
      run.reusable() &&
      !memoryGrown(entry) &&
      pool.entries.get(key) === entry;
    if (keep) {
      if (run.finish(true)) drop(entry, null);
    } else {
      drop(entry, run);
      if (!outcome.ok) {
        if (pool.failing.size >= MAX_FAILING_KEYS) pool.failing.clear();
        pool.failing.add(key);
      }
    }
  }
  return outcome;
}

/** Warm-context bookkeeping, for tests and diagnostics. */
export function warmStats(): { warm: number; failing: number; built: number; discarded: number; coldFallbacks: number } {
  return { warm: pool.entries.size, failing: pool.failing.size, built: pool.built, discarded: pool.discarded, coldFallbacks: pool.coldFallbacks };
}
