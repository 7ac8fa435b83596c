// Scheduling priority of sandbox worker threads. A run that computes for long (SUSPECT_MS in pool.ts)
// may be looping: the pool then lowers its worker's priority (nice 10), so on a machine with as many
// cores as workers, runaway scripts give way to the thread that answers requests (and to the other
// processes) instead of competing as equals. Normal runs (~0.1 ms) keep normal priority: niced workers
// would wait behind a busy server for the CPU, and every token would wait with them.
//
// Linux only: a thread's nice value is set through its thread id (setpriority on a process id would
// change the whole process on other systems). Raising the priority back needs a privilege most servers
// lack (RLIMIT_NICE); the pool then replaces the worker once it is idle.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export const SUSPECT_NICE = 10;

/** This thread's id (Linux), or null. */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Sets a thread's nice value; false if not possible or not permitted. */
export function renice(tid: number, nice: number): boolean {
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
