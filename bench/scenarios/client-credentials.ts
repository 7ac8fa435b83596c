// Goal 1 and 6: client_credentials for a JWT resource (ES256, Basic auth). Sigil (self-hosted, SQLite, an
// audit record per token request, durable before the response) against the peer (node-oidc-provider 9,
// in memory, persists nothing) and the ceiling (a bare node:http signer): short rounds pinned and unpinned,
// then a sustained run of Sigil and the peer, after which the token processes' RSS is read.
import { formatRatios, goal } from '../lib/report.ts';
import { ratio, summaryOf, type Measurement } from '../lib/rounds.ts';
import type { Goal, Scenario } from '../lib/scenario.ts';
import { createBenchApp, tokenTarget } from '../lib/setup.ts';

const scenario: Scenario = {
  name: 'client-credentials',
  description: 'POST token, grant_type=client_credentials, resource=https://bench.api (JWT, ES256), client_secret_basic',
  async run(ctx) {
    const [sigil, peer, ceiling] = await Promise.all([ctx.sigil(), ctx.peer(), ctx.ceiling()]);
    const app = await createBenchApp(sigil);
    const sigilTarget = tokenTarget('sigil', sigil, app, { auditCount: () => sigil.auditCount(app.id) });
    const peerTarget = tokenTarget('peer', peer, peer.client);
    const targets = [sigilTarget, peerTarget, tokenTarget('ceiling', ceiling, ceiling.client)];

    const short = await ctx.measure({ title: 'client_credentials, short rounds', targets });
    const unpinned = await ctx.measure({ title: 'client_credentials, short rounds (second view)', targets, pinned: false, warmup: 0 });
    const s = ctx.options.sustained;
    const sustained = await ctx.measure({ title: `client_credentials, sustained ${s} s`, targets: [sigilTarget, peerTarget], seconds: s, rounds: 1, warmup: 0 });

    const sigilShort = summaryOf(short, 'sigil').rps.median;
    const sigilLong = summaryOf(sustained, 'sigil');
    const perSecond = sustained.runs.find((r) => r.label === 'sigil')!.perSecond;
    const tail = Math.min(10, Math.floor(perSecond.length / 3));
    const rate = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const goals: Goal[] = [
      ...vsPeer(['1a', '1b', '1c'], 'short rounds', short),
      goal('1d', 'client_credentials: Sigil / ceiling (short rounds)', ratio(short, 'sigil', 'ceiling', 'rps').median, '>=', 0.6),
      ...vsPeer(['1e', '1f', '1g'], `sustained ${s} s`, sustained),
      goal('1h', `client_credentials: Sigil sustained ${s} s / its short-round rate`, sigilLong.rps.median / sigilShort, '>=', 0.9, {
        detail: `(last ${tail} s / first ${tail} s of the sustained run: ${(rate(perSecond.slice(-tail - 1, -1)) / rate(perSecond.slice(1, tail + 1))).toFixed(2)}x)`,
      }),
      goal('1i', 'client_credentials: every token request in the audit log', [...short.audit, ...unpinned.audit, ...sustained.audit].every((a) => a.recorded) ? 1 : 0, '>=', 1, {
        unit: '',
        detail: '(row count per run; kill -9: tests/integration/audit-crash.test.ts)',
      }),
      goal('6a', `memory: Sigil token process RSS after ${s} s at full load`, sigilLong.rssMb, 'report', undefined, { unit: 'MB', detail: `(peer ${summaryOf(sustained, 'peer').rssMb.toFixed(0)} MB)` }),
    ];
    return {
      measurements: [short, unpinned, sustained],
      goals,
      notes: [
        formatRatios(short, 'sigil', 'peer'),
        formatRatios(short, 'sigil', 'ceiling'),
        `second view, unpinned: ${formatRatios(unpinned, 'sigil', 'peer')}`,
        `sustained: ${formatRatios(sustained, 'sigil', 'peer')}`,
        'the peer (node-oidc-provider 9, default in-memory adapter) persists nothing per request; Sigil writes an audit record per token request to SQLite, durable before it answers.',
        'CPU per request = CPU time of the server process tree (/proc/<pid>/stat utime+stime, every thread) / 2xx responses.',
      ],
    };
  },
};

function vsPeer(ids: [string, string, string], what: string, m: Measurement): Goal[] {
  return [
    goal(ids[0], `client_credentials: Sigil / peer throughput (${what})`, ratio(m, 'sigil', 'peer', 'rps').median, '>=', 2),
    goal(ids[1], `client_credentials: Sigil / peer CPU per token (${what})`, ratio(m, 'sigil', 'peer', 'cpuMsPerRequest').median, '<=', 0.5),
    goal(ids[2], `client_credentials: Sigil / peer p99 (${what})`, ratio(m, 'sigil', 'peer', 'p99').median, '<=', 1),
  ];
}

export default scenario;
