// Custom claims on impersonation tokens: the admin's `access-token` script (saved through the Management
// API) sees Logto's context — `user` (profile, customData, roles with scopes), `grant` (token exchange
// with the subject token's context), `application` — and Logto's `token`; it cannot touch reserved
// claims (`sub`, `act`); and a script that denies refuses the exchange without burning the subject token.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { ACCESS_TOKEN, TOKEN_EXCHANGE, buildWorld, type World } from './token-exchange.setup.ts';

const SCRIPT = `
const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  if (context.grant?.subjectTokenContext?.deny) api.denyAccess('impersonation refused by policy');
  return {
    plan: context.user.customData.plan,
    username: context.user.username,
    roleNames: context.user.roles.map((r) => r.name),
    scopeIndicators: context.user.roles.flatMap((r) => r.scopes.map((s) => s.resource.indicator)),
    leaksPassword: 'passwordHash' in context.user,
    grantType: context.grant?.type,
    ticket: context.grant?.subjectTokenContext?.ticket,
    appName: context.application?.name,
    appHasSecret: 'secret' in (context.application ?? {}),
    seenGty: token.gty,
    kind: token.kind,
    accountId: token.accountId,
    desk: environmentVariables.DESK,
    sub: 'forged-subject',
    act: { sub: 'forged-actor' },
  };
};`;

let sigil: Sigil;
let w: World;

beforeAll(async () => {
  sigil = await startSigil();
  w = await buildWorld(sigil);
  const put = await w.api.put('/api/configs/jwt-customizer/access-token', { script: SCRIPT, environmentVariables: { DESK: 'EMEA' } });
  if (put.status !== 201) throw new Error(JSON.stringify(put.body));
});
afterAll(async () => sigil?.stop());

const verify = async (jwt: string, audience: string) =>
  (await jwtVerify(jwt, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { audience })).payload;

describe('access-token claims script on token exchange', () => {
  it('sees the user, the grant with the subject token context, the application and Logto\'s token', async () => {
    const r = await w.exchange({ subject_token: await w.subjectToken(w.alice.id, { ticket: 'T-1' }), scope: 'read:tickets' });
    expect(r.status).toBe(200);
    const claims = await verify(r.body.access_token, w.crm.indicator);
    expect(claims).toMatchObject({
      sub: w.alice.id,
      client_id: w.support.id,
      scope: 'read:tickets',
      plan: 'pro',
      username: w.alice.username,
      roleNames: [w.role.name],
      leaksPassword: false,
      grantType: TOKEN_EXCHANGE,
      ticket: 'T-1',
      appName: 'Support desk',
      appHasSecret: false,
      seenGty: TOKEN_EXCHANGE,
      kind: 'AccessToken',
      accountId: w.alice.id,
      desk: 'EMEA',
    });
    expect(claims.scopeIndicators).toEqual(expect.arrayContaining([w.crm.indicator, w.opaqueCrm.indicator]));
    expect(claims.act).toBeUndefined(); // the script's forged act is ignored
  });

  it('keeps the real act chain whatever the script returns, and reaches opaque tokens too', async () => {
    const actor = await w.robotToken(w.crm.indicator);
    const r = await w.exchange({
      subject_token: await w.subjectToken(), actor_token: actor, actor_token_type: ACCESS_TOKEN, resource: w.opaqueCrm.indicator, scope: 'write:tickets',
    });
    expect(r.status).toBe(200);
    const res = await fetch(`${sigil.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${w.support.id}:${w.support.secret}`).toString('base64')}` },
      body: new URLSearchParams({ token: r.body.access_token }).toString(),
    });
    expect(await res.json()).toMatchObject({ active: true, sub: w.alice.id, act: { sub: w.robot.id }, plan: 'pro', seenGty: TOKEN_EXCHANGE });
  });

  it('a script that denies answers access_denied and leaves the subject token unused', async () => {
    const subject_token = await w.subjectToken(w.alice.id, { deny: true, marker: 'deny-case' });
    expect(await w.exchange({ subject_token })).toMatchObject({
      status: 400, body: { error: 'access_denied', error_description: 'impersonation refused by policy' },
    });
    const db = openDb(sigil.databaseUrl);
    try {
      const row = (await db.subjectToken.findMany({ where: { userId: w.alice.id } })).find((x) => (x.context as { marker?: string }).marker === 'deny-case')!;
      expect(row.consumedAt).toBeNull();
      const impersonations = await db.auditLog.findMany({ where: { key: 'User.Impersonated', userId: w.alice.id } });
      expect(impersonations.some((e) => JSON.stringify(e.payload).includes(row.id))).toBe(false);
      const request = await db.auditLog.findFirstOrThrow({ where: { key: 'ExchangeTokenBy.TokenExchange', result: 'Error', userId: w.alice.id } });
      expect(request.payload).toMatchObject({ error: { code: 'access_denied' }, customClaims: { denied: true }, impersonationId: row.id });
    } finally {
      await db.$disconnect();
    }
  });
});
