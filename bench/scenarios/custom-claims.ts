// Custom token claims on the token path: client_credentials with a typical getCustomJwtClaims script
// (reads the context and an environment variable, returns three claims) against the same requests with
// the script disabled, on one Sigil process (each target's before() switches the script by PATCH).
// Goals: throughput with the script >= 0.8x without; script stage median <= 0.5 ms.
//
// The script stage is measured INSIDE the server: runJwtCustomizer times the whole stage (cached config
// lookup, context, sandbox run) and the grant records it in the token request's audit record as
// `customClaims.durationMs`. Before the load runs, this scenario sends requests one at a time and then 10
// at a time, and reads those durations back from the audit log.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../server/db/generated/sqlite/client.ts';
import { basic, FORM } from '../lib/http.ts';
import type { Scenario } from '../lib/scenario.ts';
import { createBenchApp } from '../lib/setup.ts';
import type { SigilServer } from '../lib/sigil.ts';
import { tokenBody, tokenRequest, verifyBenchToken } from './client-credentials.ts';

const CONFIG = '/api/configs/jwt-customizer/client-credentials';

export const TYPICAL_SCRIPT = `const getCustomJwtClaims = async ({ token, context, environmentVariables }) => {
  return {
    tenant: environmentVariables.TENANT,
    app_name: context.application.name,
    roles: context.roles.map((role) => role.name),
  };
};`;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

/** Sends `total` token requests, `parallel` at a time, and returns the stage durations the server recorded. */
async function stageDurations(sigil: SigilServer, app: { id: string; secret: string }, total: number, parallel: number): Promise<number[]> {
  const since = new Date();
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const res = await fetch(`${sigil.url}${sigil.tokenPath}`, { method: 'POST', headers: { 'content-type': FORM, authorization: basic(app.id, app.secret) }, body: tokenBody });
      if (res.status !== 200) throw new Error(`stage measurement: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const reader = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: sigil.databaseUrl.replace(/^file:/, ''), timeout: 5000 }, { timestampFormat: 'unixepoch-ms' }) });
  try {
    const rows = await reader.auditLog.findMany({ where: { applicationId: app.id, key: 'ExchangeTokenBy.ClientCredentials', createdAt: { gte: since } }, select: { payload: true } });
    const durations = rows
      .map((r) => (r.payload as { customClaims?: { durationMs?: number } }).customClaims?.durationMs)
      .filter((d): d is number => typeof d === 'number');
    if (durations.length < total) throw new Error(`stage measurement: ${durations.length} durations recorded for ${total} requests`);
    return durations.sort((a, b) => a - b);
  } finally {
    await reader.$disconnect();
  }
}

const describeStage = (label: string, d: number[]) =>
  `script stage (in the server), ${label}: median ${quantile(d, 0.5).toFixed(3)} ms, p90 ${quantile(d, 0.9).toFixed(3)} ms, p99 ${quantile(d, 0.99).toFixed(3)} ms over ${d.length} requests -> goal median <= 0.5 ms ${quantile(d, 0.5) <= 0.5 ? 'HELD' : 'MISSED'}`;

const scenario: Scenario = {
  name: 'custom-claims',
  description: 'client_credentials (JWT, ES256) with a typical getCustomJwtClaims script vs the same with the script disabled',
  async setup(ctx) {
    const sigil = await ctx.sigil();
    // One app per target, so each target's audit rows can be counted apart (the runner checks them).
    const app = await createBenchApp(sigil, 'Bench claims service');
    const plainApp = await createBenchApp(sigil, 'Bench plain service');
    await sigil.api.call('PUT', CONFIG, { script: TYPICAL_SCRIPT, environmentVariables: { TENANT: 'bench' } });
    const switchScript = (enabled: boolean) => async () => void (await sigil.api.call('PATCH', CONFIG, { enabled }));

    ctx.log('measuring the script stage: 300 requests one at a time, then 1,000 with 10 in flight');
    await stageDurations(sigil, app, 100, 1); // warm-up: engines, JIT, caches
    const sequential = await stageDurations(sigil, app, 300, 1);
    const concurrent = await stageDurations(sigil, app, 1000, 10);
    const notes = [describeStage('one request at a time', sequential), describeStage('10 requests in flight', concurrent)];
    for (const n of notes) ctx.log(n);

    const target = (client: { id: string; secret: string }) => ({ origin: sigil.url, tokenPath: sigil.tokenPath, client, pid: sigil.pid, auditCount: () => sigil.auditCount(client.id) });
    return {
      targets: [
        { label: 'script', ...target(app), before: switchScript(true) },
        // Last in every round, so the script is disabled again when the scenario ends.
        { label: 'no-script', ...target(plainApp), before: switchScript(false) },
      ],
      compare: { subject: 'script', baseline: 'no-script', minThroughputRatio: 0.8 },
      notes: [
        ...notes,
        'both targets are the same Sigil process (two apps with the same role); before each run the script is enabled or disabled (PATCH, cache cleared at once);',
        'the script reads context.application, context.roles and an environment variable and returns three claims (QuickJS in WebAssembly; a warm, hardened context per script version).',
      ],
    };
  },
  request: tokenRequest,
  verify(target, response) {
    const { problem, payload } = verifyBenchToken(response);
    if (problem) return problem;
    const tenant = payload!.tenant;
    if (target.label === 'script' && (tenant !== 'bench' || !Array.isArray(payload!.roles) || payload!.app_name !== 'Bench claims service')) {
      return `script target: claims missing from ${JSON.stringify(payload)}`;
    }
    if (target.label === 'no-script' && tenant !== undefined) return `no-script target: unexpected claims in ${JSON.stringify(payload)}`;
    return undefined;
  },
};

export default scenario;
