// Runs an admin's getCustomJwtClaims script in QuickJS (WebAssembly) and returns its claims as JSON.
// This file runs inside a sandbox worker thread (main.ts); "the host" below is this worker's JavaScript,
// outside the VM.
//
// Per run: an engine (WebAssembly instance with its own bounded memory) is checked out, a fresh
// QuickJS runtime + context with the prelude is taken (context.ts), the script is evaluated, and
// getCustomJwtClaims is invoked with JSON copies of the inputs. The host then pumps the VM's job
// queue, hands queued fetches to the server thread and delivers their outcomes until the returned
// promise settles or the deadline passes. Everything crosses the boundary as strings.
//
// Limits:
// - wall clock: QuickJS interrupt handler (sync code, loops in jobs) + the race for awaited fetches;
//   a promise that can never settle ends the run at once as a timeout. Operations QuickJS cannot
//   interrupt (a huge BigInt's toString) are stopped by the server thread terminating this worker.
// - memory: the engine's WebAssembly.Memory maximum (engine.ts); an exhausted engine is dropped.
// - stack: QuickJS's stack limit, kept small because WebAssembly frames live on the host's native
//   stack (16 KiB while compiling, 32 KiB while running; measured to stay well inside Node's ~1 MB
//   default stack even for the worst recursion paths: parser, JSON, proxies). VM code only ever
//   runs after an `await`, i.e. from a shallow host stack.
// Host-side exceptions from the engine (e.g. an Emscripten abort) mark the engine unhealthy; it is
// dropped and the run fails cleanly. Nothing a script does can make runClaimsScript throw.
import type { QuickJSHandle } from 'quickjs-emscripten';
import { disposeContext, prepareContext, RUN_STACK_BYTES, scheduleSpare, takeSpare, type PreparedContext } from './context.ts';
import { acquireEngine, memoryUsedFraction, nearMemoryCeiling, releaseEngine, type Engine } from './engine.ts';
import type { WorkerOutcome } from '../protocol.ts';
import type { SandboxLimits } from '../types.ts';
import { classifyVmError, truncate, type Classified, type VmError } from './errors.ts';
import { HARDEN_CAPTURE, type WarmState } from './harden.ts';
import { DESCRIBE, ENTRY_DELIVER, ENTRY_DENIED, ENTRY_DESCRIBE, ENTRY_DRAIN, ENTRY_INVOKE, SCRIPT_FILENAME } from './prelude.ts';

/**
 * Time allowed for host-initiated VM calls after the deadline (reading errors, the denial flag). Short
 * enough that the worker answers well before the server thread's own grace runs out (pool.ts).
 */
const GRACE_MS = 25;

export type Outcome = WorkerOutcome;

/** The run's fetch() plumbing (fetch-proxy.ts): requests go to the server thread, outcomes come back. */
export interface RunFetch {
  /** Requests sent and not yet answered. */
  readonly pending: number;
  /** Outcomes received and not yet taken. */
  readonly hasCompleted: boolean;
  /** Sends the requests of a drained outbox (JSON array text). */
  start(queueJson: string): void;
  /** Received outcomes as one JSON array text, or null. */
  take(): string | null;
  /** Resolves when an outcome arrives or at `until` (performance.now() time). */
  wait(until: number): Promise<void>;
  /** The run is over. */
  close(): void;
}

/** What a run needs besides its engine. */
export type RunSpec = {
  limits: SandboxLimits;
  script: string;
  inputJson: string;
  /** performance.now() time (this thread's clock) at which the run is over. */
  deadline: number;
  fetch: RunFetch;
  /** Removes environment variable values from text that leaves the VM (error messages, denials). */
  redact: (text: string) => string;
};

/** A host-side exception thrown by the engine itself (not a JS exception inside the VM). */
class EngineFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export function failure(kind: Classified['kind'], message: string, extra?: Partial<Classified>): Outcome {
  return { ok: false, kind, message, ...extra };
}

const EMPTY_ERROR: VmError = { type: 'unknown', name: '', message: '', stack: '' };

function parseVmError(json: string): VmError {
  try {
    const e = JSON.parse(json) as Partial<VmError>;
    return { type: String(e.type ?? 'unknown'), name: String(e.name ?? ''), message: String(e.message ?? ''), stack: String(e.stack ?? '') };
  } catch {
    return EMPTY_ERROR;
  }
}

export class ScriptRun {
  private prepared: PreparedContext | null = null;
  private readonly owned: QuickJSHandle[] = [];
  private readonly deadline: number;
  private discard = false;
  private readonly bridge: RunFetch;
  private readonly limits: SandboxLimits;
  private readonly script: string;
  private readonly inputJson: string;
  private readonly redact: (text: string) => string;

  constructor(
    private readonly engine: Engine,
    spec: RunSpec,
    /** Reuse mode (warm.ts): the context is built once per script version, hardened, and kept. */
    private readonly warm: WarmState | null = null,
  ) {
    this.limits = spec.limits;
    this.script = spec.script;
    this.inputJson = spec.inputJson;
    this.deadline = spec.deadline;
    this.bridge = spec.fetch;
    this.redact = spec.redact;
  }

  async execute(): Promise<Outcome> {
    let outcome: Outcome;
    try {
      outcome = await this.main();
    } catch (error) {
      this.engine.healthy = false;
      this.discard = true;
      const original = error instanceof EngineFailure ? error.original : error;
      if (original instanceof RangeError && /call stack/i.test(original.message)) {
        return failure('runtime', 'Maximum call stack size exceeded (stack overflow)');
      }
      if (nearMemoryCeiling(this.engine)) return failure('memory', 'Script exceeded its memory limit');
      if (performance.now() > this.deadline) return failure('timeout', 'Script exceeded its time limit');
      return failure('runtime', `Sandbox failure: ${truncate(original instanceof Error ? original.message : String(original), 200)}`);
    }
    if (!outcome.ok && outcome.kind === 'memory') this.discard = true;
    // A denial wins over every other outcome, even if the script caught the thrown error.
    const denied = this.deniedMessage();
    if (denied !== null) return failure('denied', truncate(this.redact(denied)));
    return outcome;
  }

  /** Runs fn against the engine; host exceptions poison the engine. */
  private vm<T>(fn: () => T): T {
    if (!this.engine.healthy) throw new EngineFailure(this.engine.abortMessage ?? 'engine aborted');
    try {
      return fn();
    } catch (error) {
      this.engine.healthy = false;
      throw new EngineFailure(error);
    } finally {
      if (!this.engine.healthy) this.discard = true;
    }
  }

  private get pastDeadline(): boolean {
    return performance.now() >= this.deadline;
  }

  private graceWindow(): void {
    this.prepared!.control.interruptAt = Math.max(this.deadline, performance.now() + GRACE_MS);
  }

  private async main(): Promise<Outcome> {
    if (this.warm?.prepared) {
      // A warm context: prelude and script evaluated and the context hardened by an earlier run.
      this.prepared = this.warm.prepared;
      this.prepared.control.interruptAt = this.deadline;
    } else {
      const early = await this.build();
      if (early) return early;
    }
    const { rt, ctx } = this.prepared!;

    const invoked = this.callEntry(ENTRY_INVOKE, this.inputJson);
    if ('error' in invoked) return this.failWith(invoked.error, false);
    const promise = invoked.value;
    this.owned.push(promise);

    for (;;) {
      if (this.vm(() => rt.hasPendingJob())) {
        const jobs = this.vm(() => rt.executePendingJobs());
        if (jobs.error) return this.failWith(jobs.error, false);
      }
      const state = this.vm(() => ctx.getPromiseState(promise));
      if (state.type !== 'pending') {
        const late = this.pastDeadline;
        const outcome = state.type === 'fulfilled' ? this.settled(state.value) : this.failWith(state.error, false);
        // Finished only after the deadline (a long native operation cannot be interrupted): that is a
        // timeout, unless it ran out of memory on the way.
        if (late && (outcome.ok || outcome.kind !== 'memory')) return failure('timeout', 'Script exceeded its time limit');
        return outcome;
      }
      this.drainOutbox();
      if (this.vm(() => rt.hasPendingJob())) continue;
      if (this.pastDeadline) return failure('timeout', 'Script exceeded its time limit');
      if (this.bridge.pending === 0 && !this.bridge.hasCompleted) {
        return failure('timeout', 'Script is awaiting a promise that can never settle');
      }
      await this.bridge.wait(this.deadline);
      if (this.pastDeadline) return failure('timeout', 'Script exceeded its time limit (waiting for fetch)');
      const completed = this.bridge.take();
      if (completed !== null) {
        const delivered = this.callEntry(ENTRY_DELIVER, completed);
        if ('error' in delivered) return this.failWith(delivered.error, false);
        this.vm(() => delivered.value.dispose());
      }
    }
  }

  /** Prepares the context and evaluates the admin's script (and, in reuse mode, hardens it). */
  private async build(): Promise<Outcome | null> {
    const warm = this.warm;
    const prepared = (warm ? null : takeSpare(this.engine)) ?? this.vm(() => prepareContext(this.engine));
    this.prepared = prepared;
    const { rt, ctx } = prepared;
    prepared.control.interruptAt = this.deadline;

    // Reuse mode: capture the primordials the hardening needs before the admin's code can touch them.
    let harden: QuickJSHandle | null = null;
    if (warm) {
      const captured = this.vm(() => ctx.evalCode(HARDEN_CAPTURE, 'sigil:harden', { type: 'global' }));
      if (captured.error) return this.failWith(captured.error, false);
      harden = captured.value;
      this.owned.push(harden);
    }
    const evaluated = this.vm(() => ctx.evalCode(this.script, SCRIPT_FILENAME, { type: 'global' }));
    if (evaluated.error) return this.failWith(evaluated.error, true);
    this.vm(() => {
      evaluated.value.dispose();
      rt.setMaxStackSize(RUN_STACK_BYTES);
    });
    if (warm && harden) {
      const hardened = this.vm(() => ctx.callFunction(harden, ctx.undefined));
      if (hardened.error) return this.failWith(hardened.error, false);
      this.vm(() => hardened.value.dispose());
      // Only jobs the script's top level queued could be pending: they would run in the first call.
      warm.prepared = prepared;
    }
    return null;
  }

  /**
   * Reuse mode, after a successful run: true when the run left nothing behind that a later run could
   * observe besides the script's own top-level state (no queued jobs, no fetch in flight or queued).
   */
  reusable(): boolean {
    if (!this.warm || this.discard || !this.engine.healthy || !this.prepared) return false;
    try {
      if (this.bridge.pending > 0 || this.bridge.hasCompleted) return false;
      if (this.vm(() => this.prepared!.rt.hasPendingJob())) return false;
      this.graceWindow();
      const drained = this.callEntry(ENTRY_DRAIN);
      if ('error' in drained) {
        this.vm(() => drained.error.dispose());
        return false;
      }
      return this.takeString(drained.value) === '';
    } catch {
      return false;
    }
  }

  /** Calls one of the prelude's entry points with an optional string argument. */
  private callEntry(index: number, arg?: string): { value: QuickJSHandle } | { error: QuickJSHandle } {
    const { ctx, entries } = this.prepared!;
    return this.vm(() => {
      const fn = ctx.getProp(entries, index);
      const argHandle = arg === undefined ? null : ctx.newString(arg);
      try {
        const result = argHandle ? ctx.callFunction(fn, ctx.undefined, argHandle) : ctx.callFunction(fn, ctx.undefined);
        return result.error ? { error: result.error } : { value: result.value };
      } finally {
        argHandle?.dispose();
        fn.dispose();
      }
    });
  }

  /** Reads a string result and disposes the handle ('' for non-strings). */
  private takeString(handle: QuickJSHandle): string {
    const { ctx } = this.prepared!;
    return this.vm(() => {
      try {
        return ctx.typeof(handle) === 'string' ? ctx.getString(handle) : '';
      } finally {
        handle.dispose();
      }
    });
  }

  private drainOutbox(): void {
    const drained = this.callEntry(ENTRY_DRAIN);
    if ('error' in drained) {
      // Only an interrupt or out-of-memory can make drain() throw; the next step reports it.
      this.vm(() => drained.error.dispose());
      return;
    }
    const queue = this.takeString(drained.value);
    if (queue) this.bridge.start(queue);
  }

  /** Interprets the value invoke()'s promise fulfilled with (see PRELUDE). Disposes it. */
  private settled(value: QuickJSHandle): Outcome {
    const { ctx } = this.prepared!;
    if (this.vm(() => ctx.typeof(value)) === 'string') return this.interpret(this.takeString(value));
    // ['E', thrown] or ['J', thrown]
    const tag = this.takeString(this.vm(() => ctx.getProp(value, 0)));
    const thrown = this.vm(() => ctx.getProp(value, 1));
    this.vm(() => value.dispose());
    const error = this.describe(thrown);
    if (tag === 'J' && error.name !== 'InternalError') {
      return failure('invalid_result', truncate(`The claims returned by getCustomJwtClaims are not JSON-serialisable: ${error.message || error.name}`));
    }
    return this.classify(error, false);
  }

  private interpret(text: string): Outcome {
    const rest = text.slice(1);
    switch (text.charAt(0)) {
      case 'O': {
        // JSON.stringify of a plain object (the prelude checked it): the server thread parses it.
        const bytes = Buffer.byteLength(rest, 'utf8');
        if (bytes > this.limits.maxOutputBytes) return this.tooLarge(bytes);
        return { ok: true, claimsJson: rest };
      }
      case 'L':
        return this.tooLarge(Number(rest));
      case 'I':
        return failure('invalid_result', `getCustomJwtClaims must return a plain object, but returned ${rest}`);
      case 'U':
        return failure('invalid_result', 'The claims returned by getCustomJwtClaims are not JSON-serialisable');
      case 'N':
        return failure('runtime', 'The script must define a function named getCustomJwtClaims');
      default:
        return failure('runtime', 'Sandbox protocol error');
    }
  }

  private tooLarge(size: number): Outcome {
    return failure(
      'invalid_result',
      `The claims returned by getCustomJwtClaims are too large: ${size} bytes of JSON exceeds the limit of ${this.limits.maxOutputBytes} bytes`,
    );
  }

  private classify(error: VmError, compilePhase: boolean): Outcome {
    return {
      ok: false,
      ...classifyVmError(error, {
        pastDeadline: this.pastDeadline,
        memoryExhausted: nearMemoryCeiling(this.engine),
        memoryHigh: memoryUsedFraction(this.engine) >= 0.5,
        compilePhase,
      }),
    };
  }

  /** Reads a thrown value as strings (never handing host objects in or out). Disposes the handle. */
  private describe(errorHandle: QuickJSHandle): VmError {
    const { ctx, entries } = this.prepared!;
    try {
      this.graceWindow();
      const described = this.vm(() => {
        const fn = ctx.getProp(entries, ENTRY_DESCRIBE);
        const source = ctx.newString(DESCRIBE);
        try {
          return ctx.callFunction(fn, ctx.undefined, source, errorHandle);
        } finally {
          source.dispose();
          fn.dispose();
        }
      });
      if (described.error) {
        this.vm(() => described.error.dispose());
        return EMPTY_ERROR;
      }
      const text = this.takeString(described.value);
      if (!text) return EMPTY_ERROR;
      // Redacted before anything is classified or truncated, so no part of a value survives a cut.
      const e = parseVmError(text);
      return { type: e.type, name: this.redact(e.name), message: this.redact(e.message), stack: this.redact(e.stack) };
    } finally {
      if (errorHandle.alive) this.vm(() => errorHandle.dispose());
    }
  }

  /** Classifies a thrown value. Disposes the handle. */
  private failWith(errorHandle: QuickJSHandle, compilePhase: boolean): Outcome {
    return this.classify(this.describe(errorHandle), compilePhase);
  }

  private deniedMessage(): string | null {
    if (!this.prepared || !this.engine.healthy) return null;
    try {
      this.graceWindow();
      const result = this.callEntry(ENTRY_DENIED);
      if ('error' in result) {
        this.vm(() => result.error.dispose());
        return null;
      }
      return this.takeString(result.value) || null;
    } catch {
      return null;
    }
  }

  /** Stops fetches and frees the VM. Returns true if the engine must not be reused. */
  finish(keepContext = false): boolean {
    this.bridge.close();
    if (this.discard || !this.engine.healthy) return true;
    if (!this.prepared) return false;
    try {
      for (let i = this.owned.length - 1; i >= 0; i--) {
        const h = this.owned[i]!;
        if (h.alive) h.dispose();
      }
      if (!keepContext) disposeContext(this.prepared);
    } catch {
      this.engine.healthy = false;
      return true;
    }
    return !this.engine.healthy;
  }
}

/** One run in a fresh context (tests, checks; and the fallback of a warm run whose context is busy). */
export async function runCold(spec: RunSpec): Promise<Outcome> {
  // Always reached through an await, so VM code starts from a shallow host stack.
  const engine = await acquireEngine(spec.limits.memoryBytes, spec.deadline);
  if (!engine) return failure('busy', 'The script sandbox is busy; try again');
  const run = new ScriptRun(engine, spec);
  try {
    return await run.execute();
  } finally {
    const discard = run.finish();
    if (releaseEngine(engine, discard)) scheduleSpare(engine);
  }
}
