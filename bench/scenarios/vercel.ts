// Goal 3: the Vercel path. Tokens through the Next.js route handler (`next start`, what Vercel runs) against
// the self-hosted server, both on the same database: CPU per token of each, and cold start (spawning the
// process on a migrated database to its first issued token) of each, three times.
// With --profile, the `next start` process is profiled too: its self time by package shows how much of a token
// is Next's request machinery and how much is Sigil's own code.
import { join } from 'node:path';
import { SERVER_CORE } from '../lib/load.ts';
import { mainThreadProfile, summariseProfile } from '../lib/profile.ts';
import { formatProfile, formatRatios, goal } from '../lib/report.ts';
import { ratio, stat } from '../lib/rounds.ts';
import type { Scenario } from '../lib/scenario.ts';
import { BENCH_RESOURCE, createBenchApp, tokenTarget } from '../lib/setup.ts';
import { coldStart, launchSigil, type Mode } from '../lib/sigil.ts';

const COLD_STARTS = 3;

const scenario: Scenario = {
  name: 'vercel',
  description: 'client_credentials (JWT) through `next start` route handlers vs the self-hosted server; cold start to first token',
  async run(ctx) {
    const sigil = await ctx.sigil();
    const selfApp = await createBenchApp(sigil, 'Bench self-hosted service');
    const nextApp = await createBenchApp(sigil, 'Bench Vercel service');
    const profileDir = ctx.profileDir && join(ctx.profileDir, 'next');
    const next = await launchSigil({ root: sigil.root, mode: 'next', dataDir: sigil.dataDir, profileDir });
    const notes: string[] = [];
    const m = await ctx
      .measure({
        title: 'client_credentials, self-hosted vs next start',
        targets: [
          tokenTarget('self-hosted', sigil, selfApp, { auditCount: () => sigil.auditCount(selfApp.id) }),
          tokenTarget('next', next, nextApp, { auditCount: () => sigil.auditCount(nextApp.id) }),
        ],
      })
      .finally(() => next.stop());
    const file = profileDir && mainThreadProfile(profileDir);
    if (file) notes.push(`profile of next start: ${formatProfile(summariseProfile(file, ctx.windows(next.pid), sigil.root, 40))}`);

    const cold = async (mode: Mode) => {
      const times: number[] = [];
      for (let i = 0; i < COLD_STARTS; i++) {
        times.push(await coldStart({ root: sigil.root, mode, dataDir: sigil.dataDir, client: mode === 'next' ? nextApp : selfApp, resource: BENCH_RESOURCE, cores: SERVER_CORE }));
      }
      return stat(times);
    };
    const nextCold = await cold('next');
    const selfCold = await cold('self-hosted');
    const range = (s: { min: number; max: number }) => `(${s.min.toFixed(0)}-${s.max.toFixed(0)} ms over ${COLD_STARTS} starts)`;
    return {
      measurements: [m],
      goals: [
        goal('3a', 'Vercel path: next start / self-hosted CPU per token', ratio(m, 'next', 'self-hosted', 'cpuMsPerRequest').median, '<=', 2),
        goal('3b', 'Vercel path: cold start of next start to first token', nextCold.median, '<=', 500, { unit: 'ms', detail: range(nextCold) }),
        goal('3c', 'self-hosted: cold start to first token', selfCold.median, 'report', undefined, { unit: 'ms', detail: range(selfCold) }),
      ],
      notes: [
        formatRatios(m, 'next', 'self-hosted'),
        'cold start: from spawning the process (pinned to the server core) on the already migrated database to the first 200 from the token endpoint, polled every 5 ms.',
        ...notes,
      ],
    };
  },
};

export default scenario;
