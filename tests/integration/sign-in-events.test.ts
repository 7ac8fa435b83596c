// What sign-ins leave behind: Logto's interaction webhooks (PostSignIn, PostRegister) in Logto's payload
// shape, delivered to a loopback receiver; Logto's audit keys for interactions and the new grants; and
// deleting a user ends everything they signed in to.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { CookieJar, browse, postForm, readForm } from '../helpers/sign-in.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { codeFlow, refresh } from './sign-in.flows.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

let sigil: Sigil;
let f: SignInFixture;
let receiver: Receiver;
let hook: { id: string; signingKey: string };
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  receiver = await startReceiver();
  sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true' } });
  f = await signInFixture(sigil);
  db = openDb(sigil.databaseUrl);
  const created = await f.api.post('/api/hooks', { name: 'Sign-ins', events: ['PostSignIn', 'PostRegister'], config: { url: receiver.url } });
  expect(created.status).toBe(201);
  hook = created.body;
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
  await receiver?.close();
});

describe('interaction webhooks', () => {
  it('delivers PostSignIn in Logto\'s shape, signed, without the password', async () => {
    await codeFlow(sigil, f);
    await receiver.waitFor((r) => r.some((x) => x.body?.event === 'PostSignIn'), 15_000);
    const delivery = receiver.received.find((x) => x.body?.event === 'PostSignIn')!;
    expect(delivery.body).toEqual({
      hookId: hook.id,
      event: 'PostSignIn',
      interactionEvent: 'SignIn',
      createdAt: expect.any(String),
      sessionId: expect.stringMatching(/^[a-z0-9]{21}$/),
      userAgent: expect.any(String),
      userIp: expect.any(String),
      userId: f.user.id,
      user: expect.objectContaining({ id: f.user.id, username: f.user.username, primaryEmail: f.user.email, hasPassword: true }),
      application: { id: f.spa.id, name: 'Shop SPA', type: 'SPA', isThirdParty: false },
    });
    expect(delivery.rawBody).not.toMatch(/passwordHash|scrypt|argon2/);
    const expected = createHmac('sha256', hook.signingKey).update(delivery.rawBody).digest('hex');
    expect(delivery.headers['logto-signature-sha-256']).toBe(expected);
  });

  it('delivers PostRegister when someone creates an account on the sign-in page', async () => {
    await db.setting.upsert({ where: { key: 'sign-in-experience' }, create: { key: 'sign-in-experience', value: { signInMode: 'SignInAndRegister' } }, update: { value: { signInMode: 'SignInAndRegister' } } });
    const jar = new CookieJar();
    await browse(sigil, jar, `/oidc/auth?${new URLSearchParams({ client_id: f.web.id, redirect_uri: `${f.redirectUri}/web`, response_type: 'code', scope: 'openid' })}`);
    const form = readForm((await browse(sigil, jar, `/sign-in?app_id=${f.web.id}&mode=register`)).body);
    const created = await postForm(sigil, jar, form.action, { ...form.fields, identifier: 'carol_new', password: 'long enough pw', confirm: 'long enough pw' });
    expect(created.status).toBe(303);
    await receiver.waitFor((r) => r.some((x) => x.body?.event === 'PostRegister'), 15_000);
    const delivery = receiver.received.find((x) => x.body?.event === 'PostRegister')!;
    expect(delivery.body).toMatchObject({ event: 'PostRegister', interactionEvent: 'Register', user: { username: 'carol_new' }, application: { id: f.web.id, type: 'Traditional' } });
  });
});

describe('audit records', () => {
  it("records Logto's interaction keys and the token exchanges with user and app", async () => {
    const { tokens } = await codeFlow(sigil, f);
    await refresh(sigil, f.spa.id, String(tokens.refresh_token), { resource: f.indicator });
    const key = async (logKey: string, by = `userId=${f.user.id}`) => (await f.api.get(`/api/logs?logKey=${logKey}&${by}&page_size=5`)).body.map((l: { payload: unknown }) => l.payload);
    // Created before anyone signed in: attributed to the app only.
    expect((await key('Interaction.Create', `applicationId=${f.spa.id}`))[0]).toMatchObject({ result: 'Success', applicationId: f.spa.id, interactionId: expect.any(String) });
    expect((await key('Interaction.End'))[0]).toMatchObject({ result: 'Success', applicationId: f.spa.id, interactionId: expect.any(String), userId: f.user.id });
    expect((await key('ExchangeTokenBy.AuthorizationCode'))[0]).toMatchObject({ result: 'Success', applicationId: f.spa.id, userId: f.user.id, grantId: expect.any(String), scope: 'openid offline_access profile' });
    const refreshed = (await key('ExchangeTokenBy.RefreshToken'))[0];
    expect(refreshed).toMatchObject({ result: 'Success', applicationId: f.spa.id, userId: f.user.id, resource: f.indicator, scope: 'read:orders write:orders', tokenId: expect.any(String) });
    expect(JSON.stringify(refreshed)).not.toContain(String(tokens.refresh_token));
  });
});

describe('deleting a user', () => {
  it('ends their sessions, grants and refresh tokens', async () => {
    const username = `dave_${Math.random().toString(36).slice(2, 6)}`;
    const user = await f.api.post('/api/users', { username, password: f.user.password });
    const { tokens, jar } = await codeFlow(sigil, f, { identifier: username });
    expect(await db.session.count({ where: { userId: user.body.id } })).toBe(1);
    expect((await f.api.del(`/api/users/${user.body.id}`)).status).toBe(204);
    expect(await db.session.count({ where: { userId: user.body.id } })).toBe(0);
    expect(await db.grant.count({ where: { userId: user.body.id } })).toBe(0);
    expect(await db.refreshToken.count({ where: { userId: user.body.id } })).toBe(0);
    expect((await refresh(sigil, f.spa.id, String(tokens.refresh_token))).body.error).toBe('invalid_grant');
    const again = await browse(sigil, jar, `/oidc/auth?${new URLSearchParams({ client_id: f.spa.id, redirect_uri: f.redirectUri, response_type: 'code', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`);
    expect(again.location).toBe(`/sign-in?app_id=${f.spa.id}`);
  });
});
