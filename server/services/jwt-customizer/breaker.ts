// Circuit breaker for claims scripts at issuance. A script version that keeps timing out costs every
// token its whole time limit (and a sandbox worker for as long): after SIGIL_SANDBOX_BREAKER_TIMEOUTS
// timeouts (default 3) within WINDOW_MS it is "tripped" for SIGIL_SANDBOX_BREAKER_COOLDOWN_MS (default
// 60 s). While tripped, issuance does not run it and treats it as a failure of kind `tripped` under the
// script's policy. After the cool-down one request runs it as a trial (the others stay tripped while it
// runs): a trial that times out trips it again, anything else closes the breaker.
//
// A version is the stored configuration's last change (updatedAt): saving resets the breaker, on this
// instance at once and on others when their configuration cache refreshes. The decision state is per
// process (each instance learns for itself), kept in this module; what administrators see comes from the
// trips' audit records (status.ts), which every process and instance shares.
import { env } from '../../env.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';

export const WINDOW_MS = 60_000;

/** The audit records of a trip and of a recovery (written by run.ts, read by status.ts). */
export const BREAKER_AUDIT_KEYS = { tripped: 'JwtCustomizer.Tripped', recovered: 'JwtCustomizer.Recovered' } as const;

type State = {
  version: string;
  /** Times (ms) of recent timeouts, oldest first, within WINDOW_MS. */
  timeouts: number[];
  /** While tripped: when a trial run may start; null when closed. */
  retryAt: number | null;
  trippedAt: number | null;
  reason: string | null;
  trialRunning: boolean;
};

/** A change worth an audit record. */
export type BreakerEvent =
  | { type: 'tripped'; reason: string; timeouts: number; cooldownMs: number; retryAt: number }
  | { type: 'recovered' };

const states = new Map<JwtCustomizerTokenType, State>();

function stateFor(tokenType: JwtCustomizerTokenType, version: string): State {
  let state = states.get(tokenType);
  if (!state || state.version !== version) {
    state = { version, timeouts: [], retryAt: null, trippedAt: null, reason: null, trialRunning: false };
    states.set(tokenType, state);
  }
  return state;
}

/**
 * Before a run: `run` (closed), `trial` (the one run after a cool-down; report its outcome with
 * trial=true) or `tripped` (do not run).
 */
export function admit(tokenType: JwtCustomizerTokenType, version: string, now = Date.now()): 'run' | 'trial' | 'tripped' {
  const state = stateFor(tokenType, version);
  if (state.retryAt === null) return 'run';
  if (now < state.retryAt || state.trialRunning) return 'tripped';
  state.trialRunning = true;
  return 'trial';
}

/** After a run: its failure kind (null when it succeeded). Returns the change to audit, if any. */
export function record(tokenType: JwtCustomizerTokenType, version: string, kind: string | null, trial: boolean, now = Date.now()): BreakerEvent | null {
  const state = stateFor(tokenType, version);
  const { breakerTimeouts, breakerCooldownMs } = env().sandbox;
  if (trial) state.trialRunning = false;
  // No worker was free: the run says nothing about the script.
  if (kind === 'busy') return null;
  if (kind !== 'timeout') {
    if (!trial) return null;
    Object.assign(state, { timeouts: [], retryAt: null, trippedAt: null, reason: null });
    return { type: 'recovered' };
  }
  if (breakerTimeouts === 0) return null;
  state.timeouts.push(now);
  while (state.timeouts.length > 0 && state.timeouts[0]! <= now - WINDOW_MS) state.timeouts.shift();
  if (!trial && (state.retryAt !== null || state.timeouts.length < breakerTimeouts)) return null;
  const reason = trial
    ? `the trial run after the cool-down timed out too`
    : `timed out ${state.timeouts.length} times within ${WINDOW_MS / 1000} s`;
  Object.assign(state, { retryAt: now + breakerCooldownMs, trippedAt: now, reason });
  return { type: 'tripped', reason, timeouts: state.timeouts.length, cooldownMs: breakerCooldownMs, retryAt: now + breakerCooldownMs };
}
