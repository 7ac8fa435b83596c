// What the bench reads about a server from Linux: CPU time and RSS from /proc, and core pinning with taskset.
// A server is measured as its process tree (a server may run helpers in child processes); pinning applies to
// every thread of every process in the tree.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The process and its descendants (through /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) out.push(...children.split(' ').map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** utime + stime of one process (all its threads), ms; 0 when it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** CPU time of a server's process tree, ms. */
export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + cpuOf(p), 0);
}

/** Resident set size of one process, MB. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export const HAS_TASKSET = spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** The machine's cores as taskset lists them ("0-1"): what an unpinned process may use. */
export const ALL_CORES = (() => {
  const out = HAS_TASKSET ? spawnSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }).stdout : '';
  return /: (\S+)/.exec(out)?.[1] ?? '0-1';
})();

/** Pins every thread of the server's process tree to `cores` ("1"), or back to all cores. */
export function pinTree(pid: number, cores: string): void {
  if (!HAS_TASKSET) return;
  for (const p of processTree(pid)) spawnSync('taskset', ['-a', '-c', '-p', cores, String(p)], { stdio: 'ignore' });
}

/** Pins every thread of this (the bench's) process to `cores`, or back to all cores. */
export function pinSelf(cores: string): void {
  if (HAS_TASKSET) spawnSync('taskset', ['-a', '-c', '-p', cores, String(process.pid)], { stdio: 'ignore' });
}

/** A command line run on `cores` when given (and taskset exists), else as is. */
export function onCores(cores: string | undefined, command: string, args: string[]): [string, string[]] {
  return cores && HAS_TASKSET ? ['taskset', ['-c', cores, command, ...args]] : [command, args];
}
