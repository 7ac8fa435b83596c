// The Vercel path: plain `next start`, where /oidc and /api are Next route handlers and the QuickJS
// sandbox loads from node_modules (serverExternalPackages). A saved script adds its claims at
// client_credentials issuance, and the test endpoint reports failures with their position.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
beforeAll(async () => {
  sigil = await startSigil({ mode: 'next' });
});
afterAll(async () => sigil?.stop());

it('issues tokens with the script\'s claims and runs test scripts under next start', async () => {
  const m2m = await setupM2M(sigil);
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
