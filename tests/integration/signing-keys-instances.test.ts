// Two Sigil processes on one database: a rotation made through one is signed with by the other without a
// restart. No grace period: within SIGIL_CACHE_TTL_MS (default 1 s) through the shared cache stamp. With a
// grace period: at effectiveAt, by time, since both already hold the Next key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { issue, kidOf, sleep, type M2M } from './signing-keys.shared.ts';

const PATH = '/api/configs/oidc/private-keys';
const CACHE_TTL_MS = 1000;

describe('signing keys: two instances on one database', () => {
  let a: Sigil;
  let b: Sigil;
  let m2m: M2M;
  beforeAll(async () => {
    a = await startSigil();
    // One deployment behind one public URL (the issuer and the Management API indicator follow it).
    b = await startSigil({ databaseUrl: a.databaseUrl, dataDir: a.dataDir, env: { SIGIL_PUBLIC_URL: a.url } });
    m2m = await setupM2M(a);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  /**
   * Poll `sigil` for tokens until one carries `kid`. Returns ms from `since` to the start of that request,
   * and how long the request before it took (the most the poll can lag behind the switch).
   */
  // Polls until `sigil` signs with `kid`. `lag` is the poll's resolution: the time from the previous request's
  // start to the successful one's (under load a 5 ms sleep can take far longer), so "at the moment, give or
  // take one poll" is `delay <= lag`.
  async function waitForKid(sigil: Sigil, kid: string, since: number, limitMs: number): Promise<{ delay: number; lag: number; received: number }> {
    let previous: number | undefined;
    for (;;) {
      const requestedAt = Date.now();
      if (kidOf(await issue(sigil, m2m)) === kid) return { delay: requestedAt - since, lag: requestedAt - (previous ?? requestedAt) + 1, received: Date.now() - since };
      previous = requestedAt;
      if (requestedAt - since > limitMs) throw new Error(`${sigil.url} still does not sign with ${kid} after ${limitMs} ms`);
      await sleep(5);
    }
  }

  it(`no grace: the other instance signs with the new key within SIGIL_CACHE_TTL_MS (${CACHE_TTL_MS} ms)`, async () => {
    // Warm both caches so the measurement starts from a cached, stale key set.
    expect(kidOf(await issue(b, m2m))).toBe(kidOf(await issue(a, m2m)));
    const delays: number[] = [];
    const lags: number[] = [];
    for (let i = 0; i < 5; i++) {
      const api = await managementClient(a);
      const res = await api.post(`${PATH}/rotate`, {});
      const rotatedAt = Date.now();
      expect(res.status).toBe(200);
      const kid = res.body[0].id as string;
      expect(kidOf(await issue(a, m2m))).toBe(kid); // the instance that rotated: at once
      const { delay, lag } = await waitForKid(b, kid, rotatedAt, 5000);
      delays.push(delay);
      lags.push(lag);
      await sleep(Math.random() * 500); // land the next rotation at a different point of b's stamp period
    }
    console.log(`[signing-keys] no-grace rotation seen by the second instance after ${delays.join(', ')} ms (bound ${CACHE_TTL_MS} ms)`);
    // The bound, plus the poll's own lag (one token request: the measurement includes request time).
    delays.forEach((d, i) => expect(d).toBeLessThanOrEqual(CACHE_TTL_MS + lags[i]!));
  }, 60_000);

  it('grace: the other instance switches at effectiveAt by time, with no reload', async () => {
    const api = await managementClient(a);
    const res = await api.post(`${PATH}/rotate`, { rotationGracePeriod: 3 });
    const [next] = res.body as Array<{ id: string; effectiveAt: number }>;
    // Before effectiveAt both still sign with the Current key and b already publishes the Next one.
    await sleep(CACHE_TTL_MS + 200);
    expect(kidOf(await issue(b, m2m))).not.toBe(next!.id);
    expect((await (await fetch(`${b.url}/oidc/jwks`)).json()).keys.map((k: { kid: string }) => k.kid)).toContain(next!.id);
    const [ra, rb] = await Promise.all([
      waitForKid(a, next!.id, next!.effectiveAt, 5000),
      waitForKid(b, next!.id, next!.effectiveAt, 5000),
    ]);
    console.log(`[signing-keys] staged rotation: first new-kid token ${ra.delay} ms (instance a) and ${rb.delay} ms (instance b) after effectiveAt`);
    for (const r of [ra, rb]) {
      expect(r.delay).toBeLessThanOrEqual(r.lag); // at effectiveAt, give or take one poll
      expect(r.received).toBeGreaterThanOrEqual(0); // and never earlier
    }
  }, 30_000);

  it('deletion through one instance: the other stops publishing the key within the bound', async () => {
    const api = await managementClient(a);
    const [, previous] = (await api.get(PATH)).body as Array<{ id: string; status: string }>;
    expect(previous!.status).toBe('Previous');
    expect((await api.del(`${PATH}/${previous!.id}`)).status).toBe(204);
    const deletedAt = Date.now();
    for (;;) {
      const kids = (await (await fetch(`${b.url}/oidc/jwks`)).json()).keys.map((k: { kid: string }) => k.kid);
      if (!kids.includes(previous!.id)) break;
      expect(Date.now() - deletedAt).toBeLessThanOrEqual(CACHE_TTL_MS + 250);
      await sleep(10);
    }
  });

  it('concurrent rotations through both instances serialise: every one applies, the key set stays whole', async () => {
    const { accessToken } = await managementClient(a);
    const rotateThrough = async (sigil: Sigil) => {
      const res = await fetch(`${sigil.url}${PATH}/rotate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ signingKeyAlgorithm: 'EC-P256' }),
      });
      return { status: res.status, body: await res.json() };
    };
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => rotateThrough(i % 2 ? b : a)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // Each rotation saw the one before it: its Previous is the Current another returned.
    const currents = new Set(results.map((r) => r.body[0].id as string));
    expect(currents.size).toBe(6);
    const chained = results.filter((r) => currents.has(r.body[1].id)).length;
    expect(chained).toBe(5);
    await sleep(CACHE_TTL_MS + 100);
    const final = (await (await managementClient(a)).get(PATH)).body as Array<{ id: string; status: string }>;
    expect(final.map((k) => k.status)).toEqual(['Current', 'Previous']);
    expect(currents.has(final[0]!.id)).toBe(true);
    expect(kidOf(await issue(a, m2m))).toBe(final[0]!.id);
    expect(kidOf(await issue(b, m2m))).toBe(final[0]!.id);
  }, 30_000);
});
