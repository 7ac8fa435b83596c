// A server under test as a child process: its output kept for error reports, stopped with SIGTERM (then
// SIGKILL), and `exited` rejecting if it dies before it is stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { onCores } from './proc.ts';

export type Child = {
  pid: number;
  process: ChildProcess;
  output(): string;
  exited: Promise<never>;
  stop(): Promise<void>;
};

export function startChild(name: string, command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; cores?: string }): Child {
  const [cmd, argv] = onCores(options.cores, command, args);
  const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}):\n${output.slice(-4000)}`))));
  exited.catch(() => undefined);
  return {
    pid: child.pid!,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it answers true; fails when the deadline passes or the child exits first. */
export async function waitFor(what: string, deadlineMs: number, probe: () => Promise<boolean>, exited: Promise<never>, everyMs = 100): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${deadlineMs / 1000} s`);
    if (await Promise.race([probe().catch(() => false), exited])) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
