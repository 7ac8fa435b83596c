import type { SandboxFailureKind } from '../types.ts';
import { SCRIPT_FILENAME } from './prelude.ts';

/** A value thrown inside the VM, as read back by the host (strings only, never handles). */
export interface VmError {
  type: string; // typeof the thrown value, or 'null'
  name: string;
  message: string;
  stack: string;
}

export interface Classified {
  kind: SandboxFailureKind;
  message: string;
  line?: number;
  column?: number;
}

const MAX_MESSAGE = 1000;

export function truncate(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const LOCATION = new RegExp(`${SCRIPT_FILENAME.replace('.', '\\.')}:(\\d+):(\\d+)`);

/** Line/column (1-based, relative to the admin's script) of the innermost script frame in a QuickJS stack. */
export function scriptLocation(stack: string): { line?: number; column?: number } {
  for (const frame of stack.split('\n')) {
    const m = LOCATION.exec(frame);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return {};
}

/** QuickJS reports a parse error with a single frame "at claims.js:L:C" (no function name). */
export function isCompileError(e: VmError): boolean {
  if (e.name !== 'SyntaxError') return false;
  const first = e.stack.split('\n').find((l) => l.trim() !== '') ?? '';
  return new RegExp(`^\\s*at ${SCRIPT_FILENAME.replace('.', '\\.')}:\\d+:\\d+\\s*$`).test(first);
}

export interface ClassifyContext {
  /** True when the run's wall-clock deadline has passed. */
  pastDeadline: boolean;
  /** True when the engine's linear memory is at its ceiling. */
  memoryExhausted: boolean;
  /** True when the engine's linear memory grew past half its ceiling during the run. */
  memoryHigh: boolean;
  /** Error came from compiling the admin's script. */
  compilePhase: boolean;
}

export function classifyVmError(e: VmError, ctx: ClassifyContext): Classified {
  const loc = scriptLocation(e.stack);
  if (e.name === 'InternalError') {
    if (e.message === 'interrupted') {
      if (ctx.pastDeadline) return { kind: 'timeout', message: 'Script exceeded its time limit' };
      return { kind: 'runtime', message: 'Maximum call stack size exceeded (stack overflow)', ...loc };
    }
    if (e.message === 'out of memory' || e.message === 'string too long') {
      return { kind: 'memory', message: `Script exceeded its memory limit (${e.message})`, ...loc };
    }
    if (e.message === 'stack overflow') return { kind: 'runtime', message: 'Maximum call stack size exceeded (stack overflow)', ...loc };
  }
  if ((e.type === 'null' || e.type === 'undefined' || e.type === 'unknown') && (ctx.memoryExhausted || ctx.memoryHigh)) {
    // QuickJS throws null when it cannot even allocate the "out of memory" error; after a failed
    // allocation some QuickJS paths also leave an error that cannot be read back.
    return { kind: 'memory', message: 'Script exceeded its memory limit (out of memory)' };
  }
  if (ctx.compilePhase && isCompileError(e) && e.message === 'stack overflow') {
    return { kind: 'syntax', message: 'SyntaxError: the script is nested too deeply', ...loc };
  }
  if (ctx.compilePhase && isCompileError(e)) {
    return { kind: 'syntax', message: truncate(`SyntaxError: ${e.message}`), ...loc };
  }
  if (e.type === 'object' || e.type === 'function') {
    const label = e.name && e.message ? `${e.name}: ${e.message}` : e.name || e.message || 'Error';
    return { kind: 'runtime', message: truncate(label), ...loc };
  }
  if (e.type === 'unknown') return { kind: 'runtime', message: 'Script failed with an error that could not be read' };
  return { kind: 'runtime', message: truncate(`Uncaught ${e.type === 'string' ? JSON.stringify(e.message) : e.message}`) };
}
