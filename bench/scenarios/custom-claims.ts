// Goal 4: client_credentials with a typical getCustomJwtClaims script against the same requests with the
// script disabled, on the one shared Sigil process (each target's before() switches the script by PATCH).
//
// The script stage is measured INSIDE the server: runJwtCustomizer times the whole stage (cached config lookup,
// context, sandbox run) and the grant records it in the token request's audit record as
// `customClaims.durationMs`. The stage median comes from those records, over 1,000 requests sent 10 at a time
// before the rounds: pinned as the rounds are (the server on its core, this process sending on the other),
// then unpinned as a second view.
import { postForm, type Client } from '../lib/http.ts';
import { LOAD_CORE, SERVER_CORE } from '../lib/load.ts';
import { ALL_CORES, pinSelf, pinTree } from '../lib/proc.ts';
import { formatRatios, goal } from '../lib/report.ts';
import { ratio, stat } from '../lib/rounds.ts';
import type { Scenario } from '../lib/scenario.ts';
import { createBenchApp, tokenParams, tokenTarget } from '../lib/setup.ts';
import type { SigilServer } from '../lib/sigil.ts';

const CONFIG = '/api/configs/jwt-customizer/client-credentials';

export const TYPICAL_SCRIPT = `const getCustomJwtClaims = async ({ token, context, environmentVariables }) => {
  return {
    tenant: environmentVariables.TENANT,
    app_name: context.application.name,
    roles: context.roles.map((role) => role.name),
  };
};`;

/** Sends `total` token requests, `parallel` at a time, and returns the stage durations the server recorded (ms). */
async function stageDurations(sigil: SigilServer, app: Client, total: number, parallel: number): Promise<number[]> {
  const since = Date.now();
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      sent++;
      const res = await postForm(`${sigil.url}${sigil.tokenPath}`, app, tokenParams());
      if (res.status !== 200) throw new Error(`stage measurement: ${res.status} ${res.body}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const durations = sigil
    .auditPayloads(app.id, since)
    .map((p) => (p.customClaims as { durationMs?: number } | undefined)?.durationMs)
    .filter((d): d is number => typeof d === 'number');
  if (durations.length < total) throw new Error(`stage measurement: ${durations.length} durations recorded for ${total} requests`);
  return durations;
}

const scenario: Scenario = {
  name: 'custom-claims',
  description: 'client_credentials (JWT) with a typical getCustomJwtClaims script vs the same server with the script disabled',
  async run(ctx) {
    const sigil = await ctx.sigil();
    // One app per target, so each target's audit rows are counted apart.
    const app = await createBenchApp(sigil, 'Bench claims service');
    const plainApp = await createBenchApp(sigil, 'Bench plain service');
    await sigil.api.call('PUT', CONFIG, { script: TYPICAL_SCRIPT, environmentVariables: { TENANT: 'bench' } });
    const switchScript = (enabled: boolean) => async () => void (await sigil.api.call('PATCH', CONFIG, { enabled }));

    await switchScript(true)();
    await stageDurations(sigil, app, 100, 1); // warm-up: engines, JIT, caches
    const total = ctx.options.quick ? 200 : 1000;
    pinTree(sigil.pid, SERVER_CORE);
    pinSelf(LOAD_CORE);
    let stage: ReturnType<typeof stat>;
    try {
      stage = stat(await stageDurations(sigil, app, total, ctx.options.connections));
    } finally {
      pinTree(sigil.pid, ALL_CORES);
      pinSelf(ALL_CORES);
    }
    const unpinnedStage = stat(await stageDurations(sigil, app, total, ctx.options.connections));

    const m = await ctx.measure({
      title: 'client_credentials with a claims script',
      targets: [
        tokenTarget('script', sigil, app, {
          before: switchScript(true),
          auditCount: () => sigil.auditCount(app.id),
          checkClaims: (c) => (c.tenant === 'bench' && c.app_name === 'Bench claims service' && Array.isArray(c.roles) ? undefined : `claims missing: ${JSON.stringify(c)}`),
        }),
        // Last in every round, so the script is disabled again when the scenario ends.
        tokenTarget('no-script', sigil, plainApp, {
          before: switchScript(false),
          auditCount: () => sigil.auditCount(plainApp.id),
          checkClaims: (c) => (c.tenant === undefined ? undefined : `unexpected claims: ${JSON.stringify(c)}`),
        }),
      ],
    });
    return {
      measurements: [m],
      goals: [
        goal('4a', 'custom claims: with a typical script / without', ratio(m, 'script', 'no-script', 'rps').median, '>=', 0.8),
        goal('4b', 'custom claims: script stage median (in the server)', stage.median, '<=', 0.5, { unit: 'ms', detail: `(${stage.min.toFixed(3)}-${stage.max.toFixed(3)} ms)` }),
      ],
      notes: [
        formatRatios(m, 'script', 'no-script'),
        `script stage (audit records, ${ctx.options.connections} in flight, pinned): median ${stage.median.toFixed(3)} ms, min ${stage.min.toFixed(3)}, max ${stage.max.toFixed(3)}`,
        `script stage unpinned (second view): median ${unpinnedStage.median.toFixed(3)} ms, min ${unpinnedStage.min.toFixed(3)}, max ${unpinnedStage.max.toFixed(3)}`,
        'both targets are the same Sigil process (two apps with the same role); before each run the script is enabled or disabled (PATCH, cache cleared at once).',
      ],
    };
  },
};

export default scenario;
