// A sandbox worker thread: runs claims scripts for the server thread (../pool.ts), one message at a time.
// Runs arrive as `run` messages (script and inputs as JSON text) and leave as `done` messages; a run that
// awaits fetch() asks the server thread to perform it and parks, freeing the thread for another run.
// Whatever a script does here (loop, allocate, recurse) costs this thread only: the server thread keeps
// answering, and terminates this worker if a run has not answered by its deadline (plus a small grace).
import { parentPort, workerData } from 'node:worker_threads';
import type { HostMessage, WorkerData, WorkerMessage, WorkerOutcome, WorkerStats } from '../protocol.ts';
import { threadId } from '../priority.ts';
import { redactor, type Redact } from '../redact.ts';
import { engineStats, useCompiledWasm } from './engine.ts';
import { FetchProxy } from './fetch-proxy.ts';
import { resolveLimits } from '../types.ts';
import { failure, runCold, type RunSpec } from './run.ts';
import { runWarm, warmStats } from './warm.ts';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (message: WorkerMessage) => port.postMessage(message);
useCompiledWasm(data.wasmModule ?? null);

/** Fetch plumbing of the runs in progress, by run id. */
const runs = new Map<number, FetchProxy>();

function stats(): WorkerStats {
  const e = engineStats();
  const w = warmStats();
  return {
    enginesCreated: e.created,
    enginesDiscarded: e.discarded,
    enginesLive: e.live,
    warm: w.warm,
    warmBuilt: w.built,
    warmDiscarded: w.discarded,
    coldFallbacks: w.coldFallbacks,
    failingKeys: w.failing,
  };
}

function environment(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function execute(message: Extract<HostMessage, { type: 'run' }>): Promise<void> {
  // Taken back by the host while queued here behind a suspect run (it went to another worker).
  if (Atomics.compareExchange(data.claims, message.cell, message.tag, -message.tag) !== message.tag) return;
  const fetch = new FetchProxy(message.id, post);
  runs.set(message.id, fetch);
  // Built only when a run fails: successful runs never parse their environment twice.
  let redact: Redact | null = null;
  const spec: RunSpec = {
    limits: message.limits,
    script: message.script,
    inputJson: message.inputJson,
    deadline: message.deadlineAt - performance.timeOrigin,
    fetch,
    redact: (text) => (redact ??= redactor(environment(message.environmentJson)))(text),
  };
  let outcome: WorkerOutcome;
  try {
    // Queued in this thread behind a run that used up the time (pool.ts sends runs ahead): that says
    // nothing about this script, so it is not reported as its timeout.
    if (performance.now() >= spec.deadline) outcome = failure('busy', 'The script sandbox is busy; try again');
    else outcome = message.warm ? await runWarm(spec, message.environmentJson) : await runCold(spec);
  } catch {
    // run.ts turns everything a script can cause into an outcome; this is a defect of ours.
    outcome = failure('runtime', 'Sandbox failure');
  } finally {
    runs.delete(message.id);
  }
  post({ type: 'done', id: message.id, outcome, stats: stats() });
}

/**
 * One run of a trivial script before announcing readiness: the first engine, the JIT of this thread
 * and the prelude's first compilation are paid here, not inside the first real run's time limit.
 */
async function warmUp(): Promise<void> {
  const limits = resolveLimits();
  await runCold({
    limits,
    script: 'function getCustomJwtClaims() { return {}; }',
    inputJson: `[{},{},{},${limits.maxOutputBytes}]`,
    deadline: performance.now() + 30_000,
    fetch: new FetchProxy(0, () => {}),
    redact: (text) => text,
  });
}

port.on('message', (message: HostMessage) => {
  if (message.type === 'run') void execute(message);
  else if (message.type === 'fetched') runs.get(message.id)?.deliver(message.outcomes);
});
void warmUp().finally(() => post({ type: 'ready', tid: threadId() }));
