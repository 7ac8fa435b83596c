/**
 * How a run failed. `busy`: the script never ran because no sandbox worker was free before its deadline
 * (or the worker it shared was restarted); it says nothing about the script itself.
 */
export type SandboxFailureKind = 'syntax' | 'runtime' | 'timeout' | 'memory' | 'denied' | 'invalid_result' | 'busy';

export type SandboxResult =
  | { ok: true; claims: Record<string, unknown>; durationMs: number }
  | { ok: false; kind: SandboxFailureKind; message: string; line?: number; column?: number; durationMs: number };

export interface FetchLimits {
  /** Per request; always also bounded by the time left in the run. Default: the time left. */
  timeoutMs?: number;
  /** Response body cap per request. Default 1 MiB. */
  maxResponseBytes: number;
  /** Allow loopback/private/link-local destinations (development only). Default false. */
  allowPrivateNetworks: boolean;
  /** Requests per run. Default 10. */
  maxRequests: number;
}

export interface SandboxLimits {
  /**
   * Wall clock for the whole run, from the request for it (waiting for a worker included) to its result,
   * awaited fetches included. Enforced by the host whatever the script does. Default 1000, max 5000.
   */
  timeoutMs: number;
  /** Memory the script may use (bounds the WebAssembly memory of its engine). Default 64 MiB. */
  memoryBytes: number;
  /** Maximum size of the returned claims, as JSON (UTF-8 bytes). Default 50 KB. */
  maxOutputBytes: number;
  fetch: FetchLimits;
}

export type SandboxLimitsInput = Partial<Omit<SandboxLimits, 'fetch'>> & { fetch?: Partial<FetchLimits> };

export interface RunClaimsScriptInput {
  script: string;
  token: unknown;
  context: unknown;
  environmentVariables: Record<string, string>;
  limits?: SandboxLimitsInput;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  timeoutMs: 1000,
  memoryBytes: 64 * MiB,
  maxOutputBytes: 50 * 1024,
  fetch: Object.freeze({ maxResponseBytes: MiB, allowPrivateNetworks: false, maxRequests: 10 }),
}) as SandboxLimits;

export const MAX_TIMEOUT_MS = 5000;
export const MIN_MEMORY_BYTES = 8 * MiB;
export const MAX_MEMORY_BYTES = 512 * MiB;
/** Scripts longer than this are refused as a syntax failure. */
export const MAX_SCRIPT_CHARS = 256 * 1024;

function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
  return Math.min(max, Math.max(min, n));
}

/** Merges caller limits over the defaults and clamps them to safe ranges. */
export function resolveLimits(input?: SandboxLimitsInput): SandboxLimits {
  const f = input?.fetch ?? {};
  const fetchTimeout = f.timeoutMs === undefined ? undefined : clampInt(f.timeoutMs, MAX_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  return {
    timeoutMs: clampInt(input?.timeoutMs, DEFAULT_LIMITS.timeoutMs, 1, MAX_TIMEOUT_MS),
    memoryBytes: clampInt(input?.memoryBytes, DEFAULT_LIMITS.memoryBytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES),
    maxOutputBytes: clampInt(input?.maxOutputBytes, DEFAULT_LIMITS.maxOutputBytes, 2, 16 * MiB),
    fetch: {
      ...(fetchTimeout === undefined ? {} : { timeoutMs: fetchTimeout }),
      maxResponseBytes: clampInt(f.maxResponseBytes, DEFAULT_LIMITS.fetch.maxResponseBytes, 0, 16 * MiB),
      allowPrivateNetworks: typeof f.allowPrivateNetworks === 'boolean' ? f.allowPrivateNetworks : DEFAULT_LIMITS.fetch.allowPrivateNetworks,
      maxRequests: clampInt(f.maxRequests, DEFAULT_LIMITS.fetch.maxRequests, 0, 100),
    },
  };
}
