// What a result file records about where and what was measured.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ALL_CORES, HAS_TASKSET } from './proc.ts';

const git = (root: string, args: string[]) => {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

const version = (root: string, pkg: string) => {
  try {
    return (JSON.parse(readFileSync(join(root, pkg === '.' ? '' : `node_modules/${pkg}`, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
};

export function machine(benchRoot: string, sigilRoot: string) {
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    taskset: HAS_TASKSET ? ALL_CORES : 'missing: runs are unpinned',
    node: process.version,
    versions: {
      sigil: version(sigilRoot, '.'),
      next: version(sigilRoot, 'next'),
      'better-sqlite3': version(sigilRoot, 'better-sqlite3'),
      'oidc-provider': version(benchRoot, 'oidc-provider'),
      autocannon: version(benchRoot, 'autocannon'),
    },
    commit: git(sigilRoot, ['rev-parse', 'HEAD']),
    dirty: (git(sigilRoot, ['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    benchCommit: benchRoot === sigilRoot ? undefined : git(benchRoot, ['rev-parse', 'HEAD']),
  };
}

export const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
