// The sandbox worker pool: claims scripts run in worker threads, never on the server's event loop, so a
// script that loops, allocates or recurses costs its worker and nothing else.
//
// - SIGIL_SANDBOX_WORKERS workers (default 2). A worker holds up to RUNS_PER_WORKER runs; it computes
//   one at a time and the others are parked (awaiting fetch outcomes) or queued behind it. A run is
//   queued behind another only while that one is young (SUSPECT_MS): typical runs take ~0.1 ms, and
//   not waiting for the server thread to read each answer before sending the next run is what keeps a
//   busy server from serialising its scripts. A run that computes longer is suspect (it may loop):
//   nothing more is queued behind it, runs already queued behind it that the worker has not started
//   are taken back (to another worker, or the queue), and its worker's priority is lowered (priority.ts)
//   until it is idle again. A run no worker can take waits in a FIFO queue, never beyond its own deadline: then it
//   fails as `busy` (a typed failure, not a hang).
// - One deadline per run, from the request for it: waiting for a worker counts, so a script can delay
//   a request by at most its time limit. Once per pool, waiting for its first worker to start (~0.1 s
//   from Next's build, up to ~1 s from TypeScript sources on a busy machine) does not count:
//   startSandbox() begins that early, when a script is configured.
// - The worker's interrupt handler normally ends a runaway run at the deadline; if a run has not
//   answered by deadline + GRACE_MS (an operation QuickJS cannot interrupt, such as a huge BigInt's
//   toString), the run fails as `timeout`, its worker is terminated and replaced (workers.ts). Other
//   runs held by that worker fail as `busy`.
// - A run's fetches are performed here, by FetchBridge, under the run's limits.
// - Workers are unref'd while idle, so the pool never keeps a process alive on its own.
// State is per module instance: the self-hosted server's protocol graph and Next's graph each get a
// pool of their own, started on first use.
import type { Worker } from 'node:worker_threads';
import { env } from '../../env.ts';
import { FetchBridge } from './fetch-bridge.ts';
import type { HostMessage, WorkerMessage, WorkerOutcome, WorkerStats } from './protocol.ts';
import type { SandboxLimits } from './types.ts';
import { renice, SUSPECT_NICE } from './priority.ts';
import { bootWorkers, newWorker, StatsBook, type Boot } from './workers.ts';

/** Runs one worker may hold at once (only one of them computing): parked runs await fetch outcomes. */
const RUNS_PER_WORKER = 4;
/**
 * A run computing for longer is suspect: its worker takes no more runs and yields the CPU. A typical
 * run takes ~0.1 ms; this leaves room for a busy server thread to be late reading answers.
 */
const SUSPECT_MS = 20;
/** After a run's deadline, how long its worker has to answer before it is terminated. */
export const GRACE_MS = 50;
/** Cells of a worker's claims ring (see WorkerData.claims): many more than the runs it can hold. */
const CLAIM_CELLS = 64;
/** Runs waiting for a worker, per worker; beyond that a run fails as busy at once. */
const QUEUE_PER_WORKER = 64;
/** A worker that died before it was ready is restarted after this delay, doubling up to RESTART_MAX_MS. */
const RESTART_MIN_MS = 100;
const RESTART_MAX_MS = 30_000;
/** How long runs may wait for the pool's very first worker (then they fail as busy). */
const FIRST_START_TIMEOUT_MS = 30_000;

export type PoolRun = {
  /** Reuse the script version's warm context (issuance), or a fresh one. */
  warm: boolean;
  script: string;
  inputJson: string;
  environmentJson: string;
  limits: SandboxLimits;
  /**
   * performance.now() time at which the run is over. A run that waited for the pool's first worker
   * gets its full limit from when it is dispatched instead.
   */
  deadline: number;
};

type Job = {
  id: number;
  run: PoolRun;
  resolve: (outcome: WorkerOutcome) => void;
  slot: Slot | null;
  timer: NodeJS.Timeout | null;
  /** Waiting for fetch outcomes only (not computing). */
  parked: boolean;
  /** `fetched` messages posted to the worker. */
  fetchedSent: number;
  bridge: FetchBridge | null;
  done: boolean;
  /** Queued before the pool's first worker was ready (see FIRST_START_TIMEOUT_MS). */
  firstStart: boolean;
  /** performance.now() when it was sent to its worker (last resumed, once parked). */
  sentAt: number;
  /** Its cell in its worker's claims ring, and the tag written there (WorkerData.claims). */
  cell: number;
  tag: number;
};

type Slot = {
  worker: Worker;
  ready: boolean;
  retired: boolean;
  runs: Map<number, Job>;
  /** Runs of this worker that are not parked. */
  computing: number;
  stats: WorkerStats | null;
  /** Thread id (Linux), for priority changes. */
  tid: number | null;
  /** Its priority was lowered for a suspect run. */
  niced: boolean;
  /** Takes no more runs; replaced once idle (its priority could not be raised again). */
  draining: boolean;
  /** Shared with the worker: which sent run it may still start (WorkerData.claims). */
  claims: Int32Array;
  nextCell: number;
};


const BUSY = 'The script sandbox is busy; try again';

let slots: Slot[] | null = null;
const queue: Job[] = [];
let nextId = 1;
let failedStarts = 0;
/** A worker of this pool has been ready at least once. */
let everReady = false;
/**
 * Warm runs by script text -> the worker that ran it last, so a script version stays warm in one worker
 * instead of being built in every one. (Issuance passes the same cached string each time: its hash is
 * computed once.)
 */
const affinity = new Map<string, Slot>();
const MAX_AFFINITY = 64;
const stats = new StatsBook();
const counters = { started: 0, terminated: 0, busy: 0, overruns: 0, niced: 0, recycled: 0, reclaimed: 0 };

function spawn(index: number, boot: Boot): void {
  const claims = new Int32Array(new SharedArrayBuffer(CLAIM_CELLS * Int32Array.BYTES_PER_ELEMENT));
  const worker = newWorker(boot, claims);
  counters.started++;
  const slot: Slot = { worker, ready: false, retired: false, runs: new Map(), computing: 0, stats: null, tid: null, niced: false, draining: false, claims, nextCell: 0 };
  slots![index] = slot;
  worker.on('message', (message: WorkerMessage) => onMessage(slot, message));
  worker.on('error', (error) => {
    if (!slot.ready) console.error('[sigil] sandbox worker failed to start', error);
  });
  worker.on('exit', () => {
    if (slot.retired) return;
    // Crashed (not terminated by us): runs it never started go to another worker, the others fail; start
    // another, backing off if it never started.
    const delay = slot.ready ? 0 : Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** failedStarts++);
    slot.retired = true;
    reclaim(slot);
    retire(slot, 'runtime', 'Sandbox failure: the script worker stopped');
      const timer = setTimeout(() => void bootWorkers().then((b) => spawn(index, b)), delay);
    timer.unref();
  });
}

function start(): Slot[] {
  if (slots) return slots;
  slots = new Array<Slot>(env().sandbox.workers);
  void bootWorkers().then((b) => {
    for (let i = 0; i < slots!.length; i++) spawn(i, b);
  });
  return slots;
}

/** Takes a worker out of service: its runs fail with `kind`, its counters are kept. */
function retire(slot: Slot, kind: 'busy' | 'runtime', message: string): void {
  slot.retired = true;
  stats.retire(slot.stats);
  for (const job of [...slot.runs.values()]) finish(job, { ok: false, kind, message });
}

/**
 * Terminates a worker whose run overran its deadline, and starts its replacement at once. Runs it had
 * not started go to another worker; runs it had started (parked on fetches) fail as busy.
 */
function terminate(slot: Slot): void {
  const index = slots!.indexOf(slot);
  slot.retired = true;
  reclaim(slot);
  retire(slot, 'busy', 'The script sandbox restarted while this script was waiting; try again');
  counters.terminated++;
  void slot.worker.terminate();
  if (index !== -1) void bootWorkers().then((b) => spawn(index, b));
}

/** Replaces an idle worker that cannot get its normal priority back. */
function recycle(slot: Slot): void {
  const index = slots!.indexOf(slot);
  retire(slot, 'busy', BUSY);
  counters.recycled++;
  void slot.worker.terminate();
  if (index !== -1) void bootWorkers().then((b) => spawn(index, b));
}

/** A worker niced for a suspect run goes back to normal priority once it computes nothing. */
function restorePriority(slot: Slot): void {
  if (slot.draining) {
    if (slot.runs.size === 0) recycle(slot);
    return;
  }
  if (!slot.niced || slot.computing > 0) return;
  if (slot.tid !== null && renice(slot.tid, 0)) slot.niced = false;
  else {
    slot.draining = true;
    if (slot.runs.size === 0) recycle(slot);
  }
}

function post(slot: Slot, message: HostMessage): void {
  slot.worker.postMessage(message);
}

function finish(job: Job, outcome: WorkerOutcome): void {
  if (job.done) return;
  job.done = true;
  if (job.timer) clearTimeout(job.timer);
  job.bridge?.close();
  const slot = job.slot;
  if (slot) {
    slot.runs.delete(job.id);
    if (!job.parked) slot.computing--;
    if (slot.runs.size === 0) slot.worker.unref();
    if (!slot.retired && (slot.niced || slot.draining)) restorePriority(slot);
  } else {
    const i = queue.indexOf(job);
    if (i !== -1) queue.splice(i, 1);
  }
  job.resolve(outcome);
}

function busy(job: Job): void {
  counters.busy++;
  finish(job, { ok: false, kind: 'busy', message: BUSY });
}

/** The worker can take another run: room left, and nothing it computes has been at it for long. */
function free(slot: Slot | undefined, now: number): slot is Slot {
  if (!slot || !slot.ready || slot.retired || slot.draining || slot.runs.size >= RUNS_PER_WORKER) return false;
  if (slot.computing === 0) return true;
  for (const job of slot.runs.values()) if (!job.parked && now - job.sentAt >= SUSPECT_MS) return false;
  return true;
}

/**
 * A worker for the run: the one that ran its script last (it has the script warm), else the one
 * computing least (the first of those).
 */
function available(job: Job): Slot | undefined {
  const now = performance.now();
  const preferred = job.run.warm ? affinity.get(job.run.script) : undefined;
  if (free(preferred, now)) return preferred;
  let best: Slot | undefined;
  for (const slot of slots ?? []) if (free(slot, now) && (!best || slot.computing < best.computing)) best = slot;
  return best;
}

function pump(): void {
  while (queue.length > 0) {
    const slot = available(queue[0]!);
    if (!slot) return;
    dispatch(queue.shift()!, slot);
  }
}

function dispatch(job: Job, slot: Slot): void {
  if (job.timer) clearTimeout(job.timer);
  if (job.firstStart) job.run.deadline = performance.now() + job.run.limits.timeoutMs;
  const remaining = job.run.deadline - performance.now();
  if (remaining <= 0) return busy(job);
  job.slot = slot;
  if (job.run.warm && affinity.get(job.run.script) !== slot) {
    if (affinity.size >= MAX_AFFINITY) affinity.clear();
    affinity.set(job.run.script, slot);
  }
  slot.runs.set(job.id, job);
  slot.computing++;
  if (slot.runs.size === 1) slot.worker.ref();
  const killIn = remaining + GRACE_MS;
  job.timer = killIn > SUSPECT_MS ? setTimeout(() => suspect(job, killIn - SUSPECT_MS), SUSPECT_MS) : setTimeout(() => overrun(job), killIn);
  job.sentAt = performance.now();
  job.cell = slot.nextCell;
  slot.nextCell = (slot.nextCell + 1) % CLAIM_CELLS;
  job.tag = (job.id % 0x3fffffff) + 1;
  Atomics.store(slot.claims, job.cell, job.tag);
  const { warm, script, inputJson, environmentJson, limits, deadline } = job.run;
  post(slot, { type: 'run', id: job.id, warm, script, inputJson, environmentJson, limits, deadlineAt: performance.timeOrigin + deadline, cell: job.cell, tag: job.tag });
}

/**
 * Takes back the runs sent to the worker that it has not started (the claim decides, race-free), except
 * `keep` (the suspect run they queue behind): they go first in line for another worker, with their own
 * deadlines.
 */
function reclaim(slot: Slot, keep?: Job): void {
  const taken: Job[] = [];
  for (const job of slot.runs.values()) {
    if (job === keep || job.parked) continue;
    if (Atomics.compareExchange(slot.claims, job.cell, job.tag, 0) !== job.tag) continue;
    slot.runs.delete(job.id);
    slot.computing--;
    if (job.timer) clearTimeout(job.timer);
    job.slot = null;
    job.firstStart = false; // its deadline was set when it was first sent
    job.timer = setTimeout(() => busy(job), Math.max(0, job.run.deadline - performance.now()));
    taken.push(job);
  }
  if (taken.length === 0) return;
  counters.reclaimed += taken.length;
  queue.unshift(...taken);
  pump();
}

/** The run a worker is computing: it runs them in the order they were sent (Map order), parked ones aside. */
function computingRun(slot: Slot): Job | undefined {
  for (const job of slot.runs.values()) if (!job.parked) return job;
  return undefined;
}

/** SUSPECT_MS after it was sent, a run is still out: if its worker is computing it, that worker yields. */
function suspect(job: Job, killIn: number): void {
  if (job.done || !job.slot) return;
  job.timer = setTimeout(() => overrun(job), killIn);
  const slot = job.slot;
  if (computingRun(slot) !== job) return;
  reclaim(slot, job);
  if (slot.niced || slot.tid === null) return;
  if (renice(slot.tid, SUSPECT_NICE)) {
    slot.niced = true;
    counters.niced++;
  }
}

/** A run's deadline + GRACE_MS passed without an answer. */
function overrun(job: Job): void {
  if (job.done || !job.slot) return;
  const slot = job.slot;
  if (computingRun(slot) !== job) {
    // Still queued behind another run of this worker (one with a later deadline): it never started, so
    // this is not its script's timeout, and its worker must not die for it. The worker skips it later.
    busy(job);
    return pump();
  }
  counters.overruns++;
  slot.retired = true; // no more runs, no priority changes: it is terminated below
  finish(job, { ok: false, kind: 'timeout', message: 'Script exceeded its time limit' });
  terminate(slot);
  pump();
}

function sendFetched(job: Job): void {
  const outcomes = job.bridge?.take();
  if (!outcomes || job.done || !job.slot) return;
  if (job.parked) {
    job.parked = false;
    job.slot.computing++;
    job.sentAt = performance.now();
  }
  job.fetchedSent++;
  post(job.slot, { type: 'fetched', id: job.id, outcomes });
}

function onMessage(slot: Slot, message: WorkerMessage): void {
  if (slot.retired) return;
  if (message.type === 'ready') {
    slot.ready = true;
    slot.tid = message.tid;
    everReady = true;
    failedStarts = 0;
    return pump();
  }
  const job = slot.runs.get(message.id);
  if (!job) return;
  switch (message.type) {
    case 'done':
      slot.stats = message.stats;
      finish(job, message.outcome);
      return pump();
    case 'fetch':
      job.bridge ??= new FetchBridge(job.run.limits.fetch, job.run.deadline, () => sendFetched(job));
      job.bridge.start(message.requests);
      return;
    case 'parked':
      // Stale when outcomes were posted after the worker wrote it: the run is about to resume.
      if (job.parked || message.received !== job.fetchedSent) return;
      job.parked = true;
      slot.computing--;
      return pump();
  }
}

/**
 * Runs a script in a worker. Resolves with its outcome by run.deadline + GRACE_MS at the latest,
 * whatever the script does; never rejects.
 */
export function runInPool(run: PoolRun): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const pool = start();
    const firstStart = !everReady;
    const job: Job = { id: nextId++, run, resolve, slot: null, timer: null, parked: false, fetchedSent: 0, bridge: null, done: false, firstStart, sentAt: 0, cell: 0, tag: 0 };
    const remaining = firstStart ? FIRST_START_TIMEOUT_MS : run.deadline - performance.now();
    if (remaining <= 0 || queue.length >= pool.length * QUEUE_PER_WORKER) return busy(job);
    const slot = queue.length === 0 ? available(job) : undefined;
    if (slot) return dispatch(job, slot);
    queue.push(job);
    job.timer = setTimeout(() => busy(job), remaining);
  });
}

/** Starts the workers now rather than at the first run (idempotent). */
export function startSandbox(): void {
  start();
}

/** Pool bookkeeping, for tests and diagnostics: counters of every worker so far, live and retired. */
export function poolStats(): WorkerStats & { workers: number; ready: number; warmPerWorker: number[]; queued: number } & typeof counters {
  const active = (slots ?? []).filter((slot) => slot && !slot.retired);
  const live = active.filter((slot) => slot.stats).map((slot) => slot.stats!);
  const ready = active.filter((slot) => slot.ready).length;
  return { ...stats.total(live), workers: slots?.length ?? 0, ready, warmPerWorker: live.map((s) => s.warm), ...counters, queued: queue.length };
}
