// What a benchmark scenario is. A scenario file in bench/scenarios/ default-exports a `Scenario`; the
// runner (bench/run.ts) finds every file there, so adding a comparison is adding one file.
import type { PeerServer } from './peer.ts';
import type { SigilServer } from './sigil.ts';

export type BenchOptions = {
  /** Seconds per measured run. */
  duration: number;
  connections: number;
  /** Measured runs per target (targets alternate inside a round). */
  rounds: number;
  /** Seconds of warm-up per target before the first round (0 = none). */
  warmup: number;
  /** Record a CPU profile of the shared Sigil process, restricted to the measured runs. */
  profile: boolean;
  skipBuild: boolean;
  scenarios: string[];
};

/** What a scenario's setup gets: the shared servers, started on first use and stopped by the runner. */
export type BenchContext = {
  options: BenchOptions;
  sigil(): Promise<SigilServer>;
  peer(): Promise<PeerServer>;
  log(message: string): void;
};

/** One server endpoint under load. */
export type Target = {
  /** Short name used in the table and in `compare` (e.g. "sigil", "peer"). */
  label: string;
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Path of the token endpoint on that origin. */
  tokenPath: string;
  client: { id: string; secret: string };
  /** Process id of the server, for CPU-time accounting. */
  pid: number;
  /** Runs before each of this target's runs (warm-up and measured), e.g. to switch a setting. */
  before?: () => Promise<void>;
  /**
   * Rows this target's requests (and only its) have left in the audit log so far (Sigil): the runner
   * checks the delta against the requests sent, to prove every request was recorded.
   */
  auditCount?: () => Promise<number>;
};

export type Comparison = {
  subject: string;
  baseline: string;
  /** subject req/s >= baseline req/s x this. */
  minThroughputRatio?: number;
  /** subject p99 <= baseline p99 x this. */
  maxP99Ratio?: number;
};

export type ScenarioSetup = {
  targets: Target[];
  compare: Comparison;
  /** Lines printed with the results (asymmetries, what exactly is compared). */
  notes?: string[];
};

export type LoadRequest = { method: 'POST' | 'GET'; path: string; headers: Record<string, string>; body?: string };

export type Scenario = {
  name: string;
  description: string;
  setup(ctx: BenchContext): Promise<ScenarioSetup>;
  /** The request every connection sends to a target, over and over. */
  request(target: Target): LoadRequest;
  /** Checks one response before measuring; returns a problem, or undefined when it is right. */
  verify(target: Target, response: { status: number; body: string }): string | undefined;
};
