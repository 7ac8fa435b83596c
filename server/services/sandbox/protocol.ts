// Messages between the host (pool.ts, on the server's event loop) and a sandbox worker thread
// (worker/main.ts). Only plain data crosses: the script and its inputs as JSON text, limits as numbers,
// claims back as JSON text, fetch requests and their outcomes as JSON text. No handle, function or
// shared memory the script could reach ever does, so nothing the script touches can reach the host's heap.
// (The one shared buffer, WorkerData.claims, is read by the worker's own code between runs: which queued
// run it may still start.)
import type { SandboxFailureKind, SandboxLimits } from './types.ts';

/** What a run ended with, as the worker reports it (the host adds durationMs and parses the claims). */
export type WorkerOutcome =
  | { ok: true; claimsJson: string }
  | { ok: false; kind: SandboxFailureKind; message: string; line?: number; column?: number };

/** Engine and warm-context counters of one worker, sent with every result (diagnostics and tests). */
export type WorkerStats = {
  enginesCreated: number;
  enginesDiscarded: number;
  enginesLive: number;
  warm: number;
  warmBuilt: number;
  warmDiscarded: number;
  coldFallbacks: number;
  failingKeys: number;
};

export type HostMessage =
  | {
      type: 'run';
      id: number;
      /** Reuse the script version's warm, hardened context (issuance) or run in a fresh one (tests, checks). */
      warm: boolean;
      script: string;
      /** JSON of [token, context, environmentVariables, maxOutputBytes]. */
      inputJson: string;
      /** JSON of environmentVariables alone: part of the warm key, and the values to redact from errors. */
      environmentJson: string;
      limits: SandboxLimits;
      /** The run's wall-clock deadline as epoch milliseconds (performance.timeOrigin + now), comparable across threads. */
      deadlineAt: number;
      /** Its cell in WorkerData.claims and the tag written there: the worker starts it only if it claims the cell. */
      cell: number;
      tag: number;
    }
  /** Outcomes of the run's fetches (JSON array text), in answer to its `fetch` messages. */
  | { type: 'fetched'; id: number; outcomes: string };

export type WorkerMessage =
  /** Started and warmed up; `tid` is the thread's id (Linux, for priority.ts), or null. */
  | { type: 'ready'; tid: number | null }
  | { type: 'done'; id: number; outcome: WorkerOutcome; stats: WorkerStats }
  /** Requests the run's script queued (JSON array text); the host performs them with the SSRF-safe client. */
  | { type: 'fetch'; id: number; requests: string }
  /**
   * The run now only waits for fetch outcomes: the thread is free for another run. `received` counts the
   * `fetched` messages it had seen, so the host can tell a stale notice from a real one.
   */
  | { type: 'parked'; id: number; received: number };

/** Data a worker starts with. */
export type WorkerData = {
  /** The QuickJS WebAssembly module compiled once by the host (null: the worker compiles it itself). */
  wasmModule: WebAssembly.Module | null;
  /**
   * One cell per run sent (a ring): the host writes the run's tag there when it sends it. The worker,
   * about to start a run, swaps tag for -tag; the host, taking back a run still queued behind a suspect
   * one, swaps tag for 0. Whichever swap happens first wins, so a run is never both moved and started.
   */
  claims: Int32Array;
};
