// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package/file,
// counting only samples inside the given windows (the measured runs), so start-up does not show.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node flags to profile a process into `dir`. Every thread writes its own file (tsx's module hooks run on one). */
export function profileArgs(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', dir];
}

/** Node names profiles CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; the main thread is id 0. */
export function mainThreadProfile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const main = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
  return main ? join(dir, main) : undefined;
}

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileRow = { name: string; where: string; selfMs: number; percent: number };
export type ProfileSummary = {
  file: string;
  /** Samples kept (inside the windows) vs all samples. */
  sampledMs: number;
  busyMs: number;
  idleMs: number;
  windowed: boolean;
  topFunctions: ProfileRow[];
  byGroup: ProfileRow[];
  /** Project functions (not node_modules) by inclusive time: self plus what they call synchronously. */
  projectInclusive: ProfileRow[];
};

export function summariseProfile(file: string, windows: Array<[number, number]>, root: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  // The profile's clock is the same monotonic clock as process.hrtime in the runner (µs on Linux). If
  // the windows do not fall inside the profile, fall back to the whole profile rather than show nothing.
  const overlaps = windows.some(([a, b]) => a < profile.endTime && b > profile.startTime);
  const inWindow = (t: number) => !overlaps || windows.some(([a, b]) => t >= a && t <= b);

  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let sampledUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (!inWindow(t)) continue;
    sampledUs += dt;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + dt);
  }

  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  const byGroup = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const frame = nodes.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = location(frame, root);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const row = byFunction.get(key) ?? { name, where, us: 0 };
    row.us += us;
    byFunction.set(key, row);
    const group = groupOf(frame, root);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  }
  const busyUs = sampledUs - idleUs;

  // Inclusive: each sample counts once for every distinct project function on its stack.
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const frame = nodes.get(x)!.callFrame;
      const p = frame.url ? path(frame.url) : '';
      if (!p.startsWith(root) || p.includes('/node_modules/')) continue;
      const where = location(frame, root);
      const name = frame.functionName || '(anonymous)';
      const key = `${name}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = inclusive.get(key) ?? { name, where, us: 0 };
      row.us += us;
      inclusive.set(key, row);
    }
  }
  const pct = (us: number) => (busyUs > 0 ? (100 * us) / busyUs : 0);
  return {
    file,
    sampledMs: sampledUs / 1000,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    windowed: overlaps,
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((r) => ({ name: r.name, where: r.where, selfMs: r.us / 1000, percent: pct(r.us) })),
    byGroup: [...byGroup.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([g, us]) => ({ name: g, where: '', selfMs: us / 1000, percent: pct(us) })),
    projectInclusive: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((r) => ({ name: r.name, where: r.where, selfMs: r.us / 1000, percent: pct(r.us) })),
  };
}

function path(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

function location(frame: CallFrame, root: string): string {
  if (!frame.url) return '(native)';
  const p = path(frame.url);
  const shown = p.startsWith(root) ? relative(root, p) : p;
  return `${shown}:${frame.lineNumber + 1}`;
}

/** node_modules package, project folder (server/oidc, server/services/...), node internals, or V8's own. */
function groupOf(frame: CallFrame, root: string): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const p = path(frame.url);
  const nm = p.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (p.startsWith('node:')) return p.split('/').slice(0, 2).join('/');
  if (p.startsWith(root)) {
    const parts = relative(root, p).split('/');
    return parts.slice(0, Math.min(parts.length - 1, 3)).join('/') || parts[0]!;
  }
  return p;
}
