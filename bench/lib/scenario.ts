// What a benchmark scenario is. A scenario file in bench/scenarios/ default-exports a `Scenario`; the runner
// (bench/run.ts) finds every file there, so adding a comparison is adding one file. A scenario drives its
// own measurements through `ctx.measure` (alternating rounds, first responses verified, audit rows counted)
// and states the goals it covers.
import type { Options } from './options.ts';
import type { Measurement } from './rounds.ts';
import type { SigilServer } from './sigil.ts';
import type { Client } from './http.ts';
import type { CodeClient } from './peer.ts';

/** A server process under test. */
export type Server = {
  label: string;
  url: string;
  /** Root of the server's process tree: CPU time, RSS and pinning apply to it. */
  pid: number;
  tokenPath: string;
  introspectionPath?: string;
  jwksUrl: string;
  issuer: string;
  logs(): string;
  stop(): Promise<void>;
};

/**
 * What every connection sends, over and over. `bodies` (instead of `body`) are sent one per request and each
 * at most once, for grants that consume what they present: a target whose `request` is a function can mint
 * fresh ones (authorization codes, refresh tokens) before every run and its first-response check.
 */
export type LoadRequest = { method: 'POST' | 'GET'; path: string; headers: Record<string, string>; body?: string; bodies?: string[] };

/** One endpoint under load. */
export type Target = {
  /** Short name used in tables and ratios ("sigil", "peer", "ceiling"). */
  label: string;
  server: Server;
  request: LoadRequest | (() => Promise<LoadRequest>);
  /** Checks one response before any load; returns the problem, or undefined when it is right. */
  verify(response: { status: number; body: string }): Promise<string | undefined>;
  /** Runs before each of this target's runs, e.g. to switch a setting. */
  before?: () => Promise<void>;
  /** Audit rows this target's requests (and only its) have left so far: every request must be recorded. */
  auditCount?: () => number;
};

export type Goal = {
  /** The goal number and a letter ("1a"). */
  id: string;
  text: string;
  /** The measured value (a ratio unless `unit` says otherwise); NaN when it could not be measured. */
  value: number;
  op: '>=' | '<=' | 'report';
  want?: number;
  unit?: 'x' | 'ms' | 'MB' | '';
  held: boolean;
  /** How the value was obtained, or why it cannot be held here. */
  detail?: string;
};

export type ScenarioOutcome = { measurements: Measurement[]; goals: Goal[]; notes: string[]; extra?: Record<string, unknown> };

export type MeasureSpec = {
  title: string;
  targets: Target[];
  /** Server on its core, load generator on the other (default true). */
  pinned?: boolean;
  seconds?: number;
  rounds?: number;
  /** Warm-up seconds per target before the measured rounds (default: the option). */
  warmup?: number;
};

export type BenchContext = {
  options: Options;
  /** The shared self-hosted Sigil, the peer and the ceiling: started on first use, stopped by the runner. */
  sigil(): Promise<SigilServer>;
  peer(): Promise<Server & { client: Client; codeClient: CodeClient }>;
  ceiling(): Promise<Server & { client: Client }>;
  measure(spec: MeasureSpec): Promise<Measurement>;
  log(message: string): void;
  /** With --profile: where a scenario's own servers write CPU profiles, and the measured windows of a pid. */
  profileDir?: string;
  windows(pid: number): Array<[number, number]>;
};

export type Scenario = {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
};
