// QuickJS engines for claim scripts.
//
// An engine is one instance of the QuickJS WebAssembly module with its OWN WebAssembly.Memory whose
// `maximum` is the run's memory budget. That maximum is the real memory limit: QuickJS's own
// JS_SetMemoryLimit under-counts in this build (malloc_usable_size is 0 under Emscripten, so every
// allocation is accounted as 8 bytes; a graph of small objects sails past it). When the linear memory
// cannot grow, malloc returns NULL and QuickJS throws "out of memory" (or null) inside the VM; the
// host is unaffected.
//
// A run checks an engine out exclusively (so a memory bomb can only exhaust its own engine) and
// returns it afterwards. Engines that aborted, hit their memory ceiling, or grew large are discarded
// instead of reused; a fresh one costs ~5 ms (the WebAssembly.Module is compiled once by the host and
// handed to every worker). Per-run isolation does not depend on engine reuse: every run gets a fresh
// QuickJS runtime+context. This file runs inside a sandbox worker thread: the pool is per worker.
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';
import { compileQuickJsWasm } from '../wasm.ts';

const PAGE = 65536;
/** The module's import declares at least 256 pages (16 MiB); it holds ~5.1 MiB of data + C stack. */
const MIN_PAGES = 256;
/** Linear memory the engine needs besides the script's budget (static data, C stack, FFI glue). */
const ENGINE_OVERHEAD_BYTES = 8 * 1024 * 1024;
/** An idle engine whose memory grew past this is discarded (wasm memory never shrinks). */
const RECYCLE_ABOVE_BYTES = 32 * 1024 * 1024;
const MAX_IDLE_PER_SIZE = 4;
/**
 * Per worker: its warm contexts (4, warm.ts) plus the runs the host lets it hold at once
 * (RUNS_PER_WORKER in pool.ts). The host's cap is what bounds concurrency; this one never binds.
 */
const MAX_LIVE_ENGINES = 8;

export interface Engine {
  readonly id: number;
  readonly module: QuickJSWASMModule;
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  readonly pages: number;
  /** False once Emscripten aborted or a host-side exception escaped from the WebAssembly code. */
  healthy: boolean;
  abortMessage: string | null;
  /** Checked out by a run. */
  busy: boolean;
  /** Dropped from the pool; never used again. */
  retired: boolean;
  runs: number;
}

type PoolState = {
  wasm: Promise<WebAssembly.Module | null> | null;
  idle: Map<number, Engine[]>;
  live: number;
  waiters: Array<() => void>;
  nextId: number;
  created: number;
  discarded: number;
};

const pool: PoolState = { wasm: null, idle: new Map(), live: 0, waiters: [], nextId: 1, created: 0, discarded: 0 };

/** The module the host compiled (workerData); without one, the worker compiles the .wasm itself once. */
export function useCompiledWasm(module: WebAssembly.Module | null): void {
  if (module) pool.wasm = Promise.resolve(module);
}

/** Compiles the QuickJS .wasm once per worker. Null: let Emscripten locate and compile it itself. */
function compiledWasm(): Promise<WebAssembly.Module | null> {
  pool.wasm ??= compileQuickJsWasm();
  return pool.wasm;
}

export function pagesFor(memoryBytes: number): number {
  return Math.max(MIN_PAGES, Math.ceil((memoryBytes + ENGINE_OVERHEAD_BYTES) / PAGE));
}

async function createEngine(pages: number): Promise<Engine> {
  const wasmModule = await compiledWasm();
  const memory = new WebAssembly.Memory({ initial: MIN_PAGES, maximum: pages });
  const engine = {
    id: pool.nextId++,
    memory,
    maxBytes: pages * PAGE,
    pages,
    healthy: true,
    abortMessage: null as string | null,
    busy: false,
    retired: false,
    runs: 0,
  } as Omit<Engine, 'module'> & { module?: QuickJSWASMModule };
  const variant = newVariant(RELEASE_SYNC, {
    ...(wasmModule ? { wasmModule } : {}),
    wasmMemory: memory,
    emscriptenModule: {
      // Not in the published typings, but passed through to Emscripten verbatim.
      onAbort: (what: unknown) => {
        engine.healthy = false;
        engine.abortMessage = String(what);
      },
      print: () => {},
      printErr: () => {},
    } as Record<string, unknown>,
  });
  engine.module = await newQuickJSWASMModuleFromVariant(variant);
  pool.created++;
  return engine as Engine;
}

function takeIdle(pages: number): Engine | undefined {
  const list = pool.idle.get(pages);
  const engine = list?.pop();
  if (list && list.length === 0) pool.idle.delete(pages);
  return engine;
}

function evictOneIdle(): boolean {
  for (const [pages, list] of pool.idle) {
    if (list.length) {
      list.pop()!.retired = true;
      if (list.length === 0) pool.idle.delete(pages);
      pool.live--;
      pool.discarded++;
      return true;
    }
  }
  return false;
}

function wake(): void {
  const next = pool.waiters.shift();
  if (next) next();
}

/**
 * Checks out an engine whose memory ceiling fits `memoryBytes`. Resolves null if none became
 * available before `deadline` (performance.now() time) because MAX_LIVE_ENGINES are busy.
 */
export async function acquireEngine(memoryBytes: number, deadline: number): Promise<Engine | null> {
  const pages = pagesFor(memoryBytes);
  for (;;) {
    const idle = takeIdle(pages);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (pool.live < MAX_LIVE_ENGINES || evictOneIdle()) {
      pool.live++;
      try {
        const engine = await createEngine(pages);
        engine.busy = true;
        return engine;
      } catch (error) {
        pool.live--;
        wake();
        throw error;
      }
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) return null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        const i = pool.waiters.indexOf(onWake);
        if (i !== -1) pool.waiters.splice(i, 1);
        resolve();
      }, remaining);
      const onWake = () => {
        clearTimeout(timer);
        resolve();
      };
      pool.waiters.push(onWake);
    });
  }
}

/** Returns an engine to the pool, or drops it (discard, unhealthy, or grown large). True if kept. */
export function releaseEngine(engine: Engine, discard: boolean): boolean {
  engine.runs++;
  engine.busy = false;
  const grown = engine.memory.buffer.byteLength > RECYCLE_ABOVE_BYTES;
  const list = pool.idle.get(engine.pages) ?? [];
  if (discard || !engine.healthy || grown || list.length >= MAX_IDLE_PER_SIZE) {
    engine.retired = true;
    pool.live--;
    pool.discarded++;
  } else {
    list.push(engine);
    pool.idle.set(engine.pages, list);
  }
  wake();
  return !engine.retired;
}

/** Engine bookkeeping, for tests and diagnostics. */
export function engineStats(): { live: number; idle: number; created: number; discarded: number; waiting: number } {
  let idle = 0;
  for (const list of pool.idle.values()) idle += list.length;
  return { live: pool.live, idle, created: pool.created, discarded: pool.discarded, waiting: pool.waiters.length };
}

/**
 * True when the engine's linear memory is at its ceiling. Emscripten grows the heap with 5-20%
 * over-allocation and gives up when even +5% does not fit, so allocations start failing once the
 * memory is past ~95% of its maximum.
 */
export function nearMemoryCeiling(engine: Engine): boolean {
  return memoryUsedFraction(engine) >= 0.9;
}

/** Size of the engine's linear memory as a fraction of its maximum. */
export function memoryUsedFraction(engine: Engine): number {
  return engine.memory.buffer.byteLength / engine.maxBytes;
}
