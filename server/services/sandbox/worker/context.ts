// Fresh QuickJS runtime + context with the prelude evaluated, ready for one script.
//
// Preparing one costs ~0.4 ms (creating the intrinsics and compiling the prelude dominate), so each
// idle engine keeps one spare, prepared in idle time (setImmediate) after its previous run. A spare
// has never run admin code, so using it is exactly as isolated as preparing one on the spot.
import { DefaultIntrinsics, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten';
import type { Engine } from './engine.ts';
import { FETCH_MODULE, PRELUDE, PRELUDE_FILENAME } from './prelude.ts';

/** QuickJS stack limits. WebAssembly frames live on the host's native stack, so these are small. */
export const COMPILE_STACK_BYTES = 16 * 1024;
export const RUN_STACK_BYTES = 32 * 1024;
const PREPARE_BUDGET_MS = 5000;

/**
 * The standard built-ins minus typed arrays (ArrayBuffer, typed arrays, DataView,
 * SharedArrayBuffer): claim scripts do not need binary data, typed arrays have been QuickJS's most
 * bug-prone area, and leaving them out makes each context ~30% cheaper to create. WeakRef and
 * FinalizationRegistry are absent too (QuickJS only adds them with the full default set).
 */
const INTRINSICS = { ...DefaultIntrinsics, TypedArrays: false };

export interface PreparedContext {
  rt: QuickJSRuntime;
  ctx: QuickJSContext;
  /** [invoke, denied, drain, deliver, describe] (see PRELUDE). */
  entries: QuickJSHandle;
  /** The interrupt handler interrupts once performance.now() passes interruptAt. */
  control: { interruptAt: number };
}

const spares = new WeakMap<Engine, PreparedContext>();

/** Creates a runtime + context in the engine and evaluates the prelude. Throws on engine failure. */
export function prepareContext(engine: Engine): PreparedContext {
  const control = { interruptAt: performance.now() + PREPARE_BUDGET_MS };
  const rt = engine.module.newRuntime();
  let ctx: QuickJSContext | null = null;
  try {
    // No rt.setMemoryLimit: in this build QuickJS accounts every allocation as 8 bytes, so its limit
    // means little; the engine's WebAssembly.Memory maximum is the bound (engine.ts).
    rt.setMaxStackSize(COMPILE_STACK_BYTES);
    rt.setInterruptHandler(() => performance.now() > control.interruptAt);
    ctx = rt.newContext({ intrinsics: INTRINSICS });
    const setup = ctx.evalCode(PRELUDE, PRELUDE_FILENAME, { type: 'global' });
    if (setup.error) {
      setup.error.dispose();
      throw new Error('sandbox prelude failed to evaluate');
    }
    const source = ctx.newString(FETCH_MODULE);
    const entries = ctx.callFunction(setup.value, ctx.undefined, source);
    source.dispose();
    setup.value.dispose();
    if (entries.error) {
      entries.error.dispose();
      throw new Error('sandbox prelude setup failed');
    }
    return { rt, ctx, entries: entries.value, control };
  } catch (error) {
    try {
      ctx?.dispose();
      rt.dispose();
    } catch {
      engine.healthy = false;
    }
    throw error;
  }
}

export function disposeContext(prepared: PreparedContext): void {
  prepared.control.interruptAt = performance.now() + PREPARE_BUDGET_MS;
  if (prepared.entries.alive) prepared.entries.dispose();
  prepared.ctx.dispose();
  prepared.rt.dispose();
}

/** The engine's spare context (removing it), or null. */
export function takeSpare(engine: Engine): PreparedContext | null {
  const spare = spares.get(engine) ?? null;
  if (spare) spares.delete(engine);
  return spare;
}

/** Prepares a spare context for the engine in idle time, unless it is busy, unhealthy or has one. */
export function scheduleSpare(engine: Engine): void {
  if (spares.has(engine) || !engine.healthy) return;
  const immediate = setImmediate(() => {
    if (engine.busy || !engine.healthy || engine.retired || spares.has(engine)) return;
    try {
      spares.set(engine, prepareContext(engine));
    } catch {
      engine.healthy = false;
    }
  });
  immediate.unref?.();
}
