// Introspection answers a token it has already found active from memory (no signature check, no database
// read). That must never outlive a revocation: at once on the instance that revoked, and within
// SIGIL_CACHE_TTL_MS on another instance of the same deployment (the shared change stamp).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const CACHE_TTL_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('introspection of tokens already seen: revocation still takes effect', () => {
  let a: Sigil;
  let b: Sigil;
  let jwtApp: Awaited<ReturnType<typeof setupM2M>>;
  let opaqueApp: Awaited<ReturnType<typeof setupM2M>>;
  beforeAll(async () => {
    a = await startSigil({ env: { SIGIL_CACHE_TTL_MS: String(CACHE_TTL_MS) } });
    b = await startSigil({ databaseUrl: a.databaseUrl, dataDir: a.dataDir, env: { SIGIL_PUBLIC_URL: a.url, SIGIL_CACHE_TTL_MS: String(CACHE_TTL_MS) } });
    jwtApp = await setupM2M(a);
    opaqueApp = await setupM2M(a, { tokenFormat: 'opaque' });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const post = (sigil: Sigil, path: 'introspection' | 'revocation', app: { id: string; secret: string }, token: string) =>
    fetch(`${sigil.url}/oidc/token/${path}`, {
      method: 'POST',
      headers: { authorization: basic(app.id, app.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
  const active = async (sigil: Sigil, app: { id: string; secret: string }, token: string) =>
    ((await (await post(sigil, 'introspection', app, token)).json()) as { active: boolean }).active;

  async function issue(m2m: typeof jwtApp): Promise<string> {
    const res = await tokenRequest(a, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  }

  for (const format of ['jwt', 'opaque'] as const) {
    it(`${format}: revoked on the instance that cached it, inactive at the next request`, async () => {
      const m2m = format === 'jwt' ? jwtApp : opaqueApp;
      const token = await issue(m2m);
      for (let i = 0; i < 3; i++) expect(await active(a, m2m.app, token)).toBe(true);
      expect((await post(a, 'revocation', m2m.app, token)).status).toBe(200);
      expect(await post(a, 'introspection', m2m.app, token).then((r) => r.json())).toEqual({ active: false });
    });

    it(`${format}: revoked on another instance, inactive here within SIGIL_CACHE_TTL_MS`, async () => {
      const m2m = format === 'jwt' ? jwtApp : opaqueApp;
      const token = await issue(m2m);
      for (let i = 0; i < 3; i++) expect(await active(a, m2m.app, token)).toBe(true);
      const revokedAt = Date.now();
      expect((await post(b, 'revocation', m2m.app, token)).status).toBe(200);
      while (await active(a, m2m.app, token)) {
        expect(Date.now() - revokedAt, 'still active on the other instance').toBeLessThan(CACHE_TTL_MS + 500);
        await sleep(20);
      }
    });
  }

  it('a token of a deleted application is inactive at once, even if seen before (opaque)', async () => {
    const m2m = await setupM2M(a, { tokenFormat: 'opaque' });
    const token = await issue(m2m);
    expect(await active(a, opaqueApp.app, token)).toBe(true);
    expect((await m2m.api.del(`/api/applications/${m2m.app.id}`)).status).toBe(204);
    expect(await active(a, opaqueApp.app, token)).toBe(false);
  });

  it('records revocations and failed introspections in the audit log, not each successful introspection', async () => {
    const m2m = await setupM2M(a, { tokenFormat: 'opaque' });
    const token = await issue(m2m);
    expect(await active(a, m2m.app, token)).toBe(true);
    expect((await post(a, 'revocation', m2m.app, token)).status).toBe(200);
    const wrong = { id: m2m.app.id, secret: 'not-the-secret' };
    expect((await post(a, 'introspection', wrong, token)).status).toBe(401);
    const logs = async (key: string) => (await m2m.api.get(`/api/logs?applicationId=${m2m.app.id}&logKey=${key}`)).body as Array<{ key: string; payload: Record<string, unknown> }>;
    const revoked = await logs('RevokeToken');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.payload).toMatchObject({ key: 'RevokeToken', result: 'Success', applicationId: m2m.app.id });
    expect(revoked[0]!.payload.tokenId).toEqual(expect.any(String));
    const introspected = await logs('IntrospectToken');
    expect(introspected).toHaveLength(1);
    expect(introspected[0]!.payload).toMatchObject({ result: 'Error', error: { code: 'invalid_client' } });
  });
});
