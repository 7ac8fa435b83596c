// Isolation boundary for admin-written claim scripts (getCustomJwtClaims), on QuickJS compiled to
// WebAssembly (quickjs-emscripten). See run.ts for the run protocol, engine.ts for memory bounds and
// prelude.ts for what the script can see.
export { runClaimsScript } from './run.ts';
export { runClaimsScriptWarm, warmStats } from './warm.ts';
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
export { engineStats } from './engine.ts';
