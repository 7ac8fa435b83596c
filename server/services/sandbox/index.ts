// Isolation boundary for admin-written claim scripts (getCustomJwtClaims): QuickJS compiled to
// WebAssembly (quickjs-emscripten), in worker threads. pool.ts runs scripts off the server's event loop
// and enforces their time limit by terminating workers; worker/ is what runs inside a worker (run.ts:
// the run protocol, engine.ts: memory bounds, prelude.ts: what the script can see, warm.ts: reused
// contexts). This file validates the input, and shapes and redacts the result.
import { poolStats, runInPool } from './pool.ts';
import { redactor } from './redact.ts';
import { MAX_SCRIPT_CHARS, resolveLimits, type RunClaimsScriptInput, type SandboxResult } from './types.ts';

export {
  DEFAULT_LIMITS,
  MAX_SCRIPT_CHARS,
  MAX_TIMEOUT_MS,
  resolveLimits,
  type FetchLimits,
  type RunClaimsScriptInput,
  type SandboxFailureKind,
  type SandboxLimits,
  type SandboxLimitsInput,
  type SandboxResult,
} from './types.ts';
export { redactor, type Redact } from './redact.ts';
export { GRACE_MS, poolStats, startSandbox } from './pool.ts';

function json(value: unknown, name: string): string {
  try {
    return JSON.stringify(value ?? null);
  } catch (error) {
    throw new TypeError(`${name}: token, context and environmentVariables must be JSON-serialisable (${(error as Error).message})`);
  }
}

async function run(input: RunClaimsScriptInput, warm: boolean, name: string): Promise<SandboxResult> {
  const started = performance.now();
  const limits = resolveLimits(input.limits);
  const duration = () => Math.round((performance.now() - started) * 1000) / 1000;
  if (typeof input.script !== 'string') throw new TypeError(`${name}: script must be a string`);
  if (input.script.length > MAX_SCRIPT_CHARS) {
    return { ok: false, kind: 'syntax', message: `Script is too long (${input.script.length} characters; the limit is ${MAX_SCRIPT_CHARS})`, durationMs: duration() };
  }
  const environmentJson = json(input.environmentVariables ?? {}, name);
  const inputJson = `[${json(input.token, name)},${json(input.context, name)},${environmentJson},${limits.maxOutputBytes}]`;
  const outcome = await runInPool({ warm, script: input.script, inputJson, environmentJson, limits, deadline: started + limits.timeoutMs });
  if (outcome.ok) {
    const claims: unknown = JSON.parse(outcome.claimsJson);
    if (claims !== null && typeof claims === 'object' && !Array.isArray(claims)) return { ok: true, claims: claims as Record<string, unknown>, durationMs: duration() };
    return { ok: false, kind: 'invalid_result', message: 'getCustomJwtClaims must return a plain object', durationMs: duration() };
  }
  const { kind, line, column } = outcome;
  // The worker redacted what the script could write; this pass covers every message whatever its origin.
  const message = redactor(input.environmentVariables)(outcome.message);
  return { ok: false, kind, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), durationMs: duration() };
}

/**
 * Runs an admin's claims script in a fresh context (tests, the save check). Never throws for anything
 * the script does; throws TypeError only for invalid host input (non-string script, non-serialisable
 * inputs). Resolves by the time limit + GRACE_MS at the latest.
 */
export function runClaimsScript(input: RunClaimsScriptInput): Promise<SandboxResult> {
  return run(input, false, 'runClaimsScript');
}

/**
 * Same contract, in the warm, hardened context of the script version (token issuance): see
 * worker/warm.ts for what may persist between runs of one version (its own top-level state) and what not.
 */
export function runClaimsScriptWarm(input: RunClaimsScriptInput): Promise<SandboxResult> {
  return run(input, true, 'runClaimsScriptWarm');
}

/** Engine counters of every worker (tests, diagnostics). */
export function engineStats(): { live: number; created: number; discarded: number } {
  const s = poolStats();
  return { live: s.enginesLive, created: s.enginesCreated, discarded: s.enginesDiscarded };
}

/** Warm-context counters of every worker (tests, diagnostics). */
export function warmStats(): { warm: number; failing: number; built: number; discarded: number; coldFallbacks: number } {
  const s = poolStats();
  return { warm: s.warm, failing: s.failingKeys, built: s.warmBuilt, discarded: s.warmDiscarded, coldFallbacks: s.coldFallbacks };
}
