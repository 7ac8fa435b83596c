// The Vercel path: plain `next start`, where /oidc and /api are Next route handlers, the QuickJS sandbox
// loads from node_modules (serverExternalPackages) and its worker threads start from the worker chunk
// Turbopack built for server/services/sandbox/worker/entry.mjs. A saved script adds its claims at
// client_credentials issuance, the test endpoint reports failures with their position, and looping or
// uninterruptible scripts end at their limit without stalling other requests.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
beforeAll(async () => {
  sigil = await startSigil({ mode: 'next' });
});
afterAll(async () => sigil?.stop());

let m2m: Awaited<ReturnType<typeof setupM2M>>;

it('issues tokens with the script\'s claims and runs test scripts under next start', async () => {
  m2m = await setupM2M(sigil);
  const put = await m2m.api.put('/api/configs/jwt-customizer/client-credentials', {
    script: 'const getCustomJwtClaims = ({ context, environmentVariables }) => ({ region: environmentVariables.REGION, roles: context.roles.map((r) => r.name) });',
    environmentVariables: { REGION: 'eu-west' },
  });
  expect(put.status).toBe(201);
  const res = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
  expect(res.status).toBe(200);
  expect(decodeJwt(res.body.access_token)).toMatchObject({ region: 'eu-west', roles: [m2m.role.name], sub: m2m.app.id });

  const failing = await m2m.api.post('/api/configs/jwt-customizer/test', {
    tokenType: 'client-credentials',
    script: 'function getCustomJwtClaims() {\n  return undefinedThing.x;\n}',
    token: {},
  });
  expect(failing.status).toBe(422);
  expect(failing.body).toMatchObject({ code: 'jwt_customizer.general', data: { kind: 'runtime', line: 2 } });
});

it('a looping and an uninterruptible (BigInt) script end at their 1 s limit in the workers; /oidc/jwks keeps answering', async () => {
  const run = (script: string) => m2m.api.post('/api/configs/jwt-customizer/test', { tokenType: 'client-credentials', script, token: {} });
  const runs = [run('function getCustomJwtClaims() { while (true) {} }'), run('function getCustomJwtClaims() { return { n: (2n ** 1048000n).toString().length }; }')];
  await new Promise((r) => setTimeout(r, 300));
  const jwksTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    expect((await fetch(`${sigil.url}/oidc/jwks`)).status).toBe(200);
    jwksTimes.push(performance.now() - started);
  }
  jwksTimes.sort((a, b) => a - b);
  expect(jwksTimes[10]).toBeLessThan(50);
  for (const res of await Promise.all(runs)) {
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ message: 'Script exceeded its time limit', data: { kind: 'timeout' } });
    expect(res.body.data.durationMs).toBeLessThanOrEqual(1100);
  }
});
