// How the pool's worker threads start, and the counters they report. The pool itself (pool.ts) decides
// which worker runs what.
import { Worker } from 'node:worker_threads';
import type { WorkerData, WorkerStats } from './protocol.ts';
import { sourceBundle } from './source-bundle.ts';
import { compileQuickJsWasm } from './wasm.ts';

/**
 * True when this module runs from its TypeScript source (tsx, vitest): Node gives real modules
 * import.meta.dirname, while Next's bundler gives its modules an import.meta without it.
 */
const FROM_SOURCES = typeof import.meta.dirname === 'string';

/** What every worker starts from: the compiled QuickJS module, and (from sources) the bundled entry. */
export type Boot = { module: WebAssembly.Module | null; entry: URL | null };

let boot: Promise<Boot> | null = null;

/** Compiles QuickJS (and, from sources, bundles the worker) once per process. */
export function bootWorkers(): Promise<Boot> {
  boot ??= Promise.all([compileQuickJsWasm(), FROM_SOURCES ? sourceBundle() : null]).then(([module, entry]) => ({ module, entry }));
  return boot;
}

/** A new sandbox worker thread, unref'd (the pool refs it while it holds runs). */
export function newWorker({ module, entry }: Boot, claims: Int32Array): Worker {
  const options = { workerData: { wasmModule: module, claims } satisfies WorkerData };
  // From sources: the entry bundled by source-bundle.ts. In Next's build: this exact `new Worker(new
  // URL(...))` form is what Turbopack recognises to bundle worker/entry.mjs (and what it imports) as a
  // worker chunk of the build; see entry.mjs. It is also the fallback when bundling from sources failed.
  const worker = entry ? new Worker(entry, options) : new Worker(new URL('./worker/entry.mjs', import.meta.url), options);
  worker.unref();
  return worker;
}

export const EMPTY_STATS: WorkerStats = {
  enginesCreated: 0, enginesDiscarded: 0, enginesLive: 0, warm: 0, warmBuilt: 0, warmDiscarded: 0, coldFallbacks: 0, failingKeys: 0,
};

const CUMULATIVE = ['enginesCreated', 'enginesDiscarded', 'warmBuilt', 'warmDiscarded', 'coldFallbacks'] as const;

/** Counters of every worker so far: those of retired workers are kept, gauges count live ones only. */
export class StatsBook {
  private readonly retired: WorkerStats = { ...EMPTY_STATS };

  retire(stats: WorkerStats | null): void {
    for (const key of CUMULATIVE) this.retired[key] += stats?.[key] ?? 0;
  }

  total(live: WorkerStats[]): WorkerStats {
    const total: WorkerStats = { ...this.retired, enginesLive: 0, warm: 0, failingKeys: 0 };
    for (const stats of live) for (const key of Object.keys(total) as Array<keyof WorkerStats>) total[key] += stats[key];
    return total;
  }
}
