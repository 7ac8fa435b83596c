// Argon2 hashing off the event loop: a small pool of worker threads (argon2-worker.mjs) started on first
// use. Each job goes to the worker with the fewest jobs queued; a worker that dies fails its jobs and is
// replaced. Workers are unref'd while idle so they never keep a process alive.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

type Job = { resolve: (v: string | boolean) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; jobs: Map<number, Job> };

const SIZE = Math.max(1, Math.min(2, availableParallelism()));
const slots: Slot[] = [];
let nextId = 1;

function start(): Slot {
  const worker = new Worker(new URL('./argon2-worker.mjs', import.meta.url));
  worker.unref();
  const slot: Slot = { worker, jobs: new Map() };
  worker.on('message', ({ id, result, error }: { id: number; result?: string | boolean; error?: string }) => {
    const job = slot.jobs.get(id);
    if (!job) return;
    slot.jobs.delete(id);
    if (slot.jobs.size === 0) worker.unref();
    if (error !== undefined) job.reject(new Error(error));
    else job.resolve(result!);
  });
  const fail = (error: Error) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`argon2 worker exited (${code})`)));
  return slot;
}

function run(message: { op: 'hash' | 'verify'; password: string; hash?: string }): Promise<string | boolean> {
  while (slots.length < SIZE) slots.push(start());
  const slot = slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    slot.jobs.set(id, { resolve, reject });
    slot.worker.ref();
    slot.worker.postMessage({ id, ...message });
  });
}

/** `$argon2i$v=19$m=8192,t=8,p=1$<salt>$<hash>` (PHC string), with Logto's parameters. */
export async function argon2iHash(password: string): Promise<string> {
  return (await run({ op: 'hash', password })) as string;
}

/** Verifies any Argon2 PHC string (i, d, id); hash-wasm compares in constant time. */
export async function argon2Check(password: string, hash: string): Promise<boolean> {
  return (await run({ op: 'verify', password, hash })) as boolean;
}
