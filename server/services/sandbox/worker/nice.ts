// Scripts yield the CPU to the server: on a machine with as many cores as workers, looping scripts would
// otherwise compete as equals with the thread that answers requests (and the other processes on the
// machine). A sandbox worker thread lowers its own scheduling priority (nice 10) as the first thing it
// does. Linux only: a thread's nice value is set through its thread id (setpriority on a pid would
// change the whole process elsewhere); on other systems, or if refused, scripts run at normal priority.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export const NICE = 10;

try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, NICE);
} catch {
  // Not Linux, or not permitted.
}
