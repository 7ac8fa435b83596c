// What a resource server sees when the grace period is shorter than its JWKS cache (here: none, and 3 s),
// measured with jose's createRemoteJWKSet at its defaults (cache 10 min, refetch on an unknown kid only
// when the last fetch is at least 30 s old). Asserted exactly: tokens signed by the new key fail with
// ERR_JWKS_NO_MATCHING_KEY until 30 s after the resource server's last JWKS fetch, then it refetches once
// and every token verifies; tokens signed by the old key never fail (it stays published as Previous).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { loadAcrossRotation, type M2M } from './signing-keys.shared.ts';

const COOLDOWN = 30_000;
const SLACK = 100;

async function scenario(sigil: Sigil, m2m: M2M, grace: number) {
  const api = await managementClient(sigil);
  const [old] = (await api.get('/api/configs/oidc/private-keys')).body;
  const run = await loadAcrossRotation(sigil, m2m, {
    durationMs: COOLDOWN + 4000,
    rotateAfterMs: 1000,
    rotate: async () => {
      const res = await api.post('/api/configs/oidc/private-keys/rotate', { rotationGracePeriod: grace });
      expect(res.status).toBe(200);
      return { newKid: res.body[0].id, effectiveAt: res.body[0].effectiveAt };
    },
  });
  return { ...run, oldKid: old.id as string, grace };
}

describe('signing keys: rotation without a (long enough) grace period', () => {
  const servers: Sigil[] = [];
  const m2ms: M2M[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      servers.push(await startSigil());
      m2ms.push(await setupM2M(servers[i]!));
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('new-kid tokens fail until the resource server may refetch (30 s after its last fetch), then all verify', async () => {
    const runs = await Promise.all([scenario(servers[0]!, m2ms[0]!, 0), scenario(servers[1]!, m2ms[1]!, 3)]);
    for (const { samples, rotation, fetches, fetched, oldKid, grace, start } of runs) {
      // jose stamps its cache when the first JWKS response has arrived (and been parsed).
      const refetchAllowedAt = fetched[0]! + COOLDOWN;
      const failures = samples.filter((s) => !s.ok);
      const newKid = samples.filter((s) => s.kid === rotation.newKid);
      console.log(`[signing-keys] rotation with grace ${grace} s: ${samples.length} tokens, ${failures.length} failed ` +
        `(ERR_JWKS_NO_MATCHING_KEY from +${failures[0] ? failures[0].verifyAt - start : '-'} to +${failures.at(-1) ? failures.at(-1)!.verifyAt - start : '-'} ms); ` +
        `rotation at +${rotation.at - start} ms, new key signs from +${rotation.effectiveAt - start} ms, ` +
        `resource server fetched JWKS at +${fetches.map((f) => f - start).join(' ms, +')} ms`);

      // Old-key tokens never fail; the new key signs from effectiveAt (at once for grace 0).
      expect(samples.filter((s) => s.kid === oldKid).every((s) => s.ok)).toBe(true);
      // (Grace 0: effectiveAt is stamped inside the rotation's transaction; the key signs once it commits.)
      const signsFrom = grace === 0 ? rotation.at : rotation.effectiveAt;
      for (const s of samples) if (s.requestedAt >= signsFrom) expect(s.kid).toBe(rotation.newKid);
      if (grace > 0) for (const s of samples) if (s.issuedAt < rotation.effectiveAt) expect(s.kid).toBe(oldKid);
      // New-kid tokens: refused before the cooldown ends, accepted after; exactly one refetch in between.
      for (const s of newKid) {
        if (s.verifyAt < refetchAllowedAt - SLACK) expect([s.ok, s.code]).toEqual([false, 'ERR_JWKS_NO_MATCHING_KEY']);
        if (s.verifyAt >= refetchAllowedAt + SLACK) expect(s.ok).toBe(true);
      }
      expect(failures.length).toBeGreaterThan(100);
      expect(failures.every((f) => f.kid === rotation.newKid && f.code === 'ERR_JWKS_NO_MATCHING_KEY')).toBe(true);
      expect(newKid.filter((s) => s.ok).length).toBeGreaterThan(20);
      expect(fetches).toHaveLength(2);
      expect(fetches[1]!).toBeGreaterThanOrEqual(refetchAllowedAt - SLACK);
    }
  }, 120_000);
});
