// Rotation with a grace period under load: a client requests tokens continuously while a resource server
// verifies each with jose's createRemoteJWKSet at its defaults. A grace period of at least the resource
// server's unknown-kid cooldown (jose: 30 s) means zero verification failures: the Next key is in JWKS from
// the rotation on, and when its first token arrives the server's last JWKS fetch is older than 30 s, so
// jose refetches once and finds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { loadAcrossRotation, type M2M } from './signing-keys.shared.ts';

const GRACE_S = 31;

describe('signing keys: staged rotation under load', () => {
  let sigil: Sigil;
  let m2m: M2M;
  beforeAll(async () => {
    sigil = await startSigil();
    m2m = await setupM2M(sigil);
  });
  afterAll(async () => sigil?.stop());

  it(`grace ${GRACE_S} s (>= jose's 30 s cooldown): zero failures, the new kid signs from effectiveAt on`, async () => {
    const api = await managementClient(sigil);
    const [old] = (await api.get('/api/configs/oidc/private-keys')).body;
    const run = await loadAcrossRotation(sigil, m2m, {
      durationMs: (GRACE_S + 4) * 1000,
      rotateAfterMs: 1000,
      rotate: async () => {
        const res = await api.post('/api/configs/oidc/private-keys/rotate', { rotationGracePeriod: GRACE_S });
        expect(res.status).toBe(200);
        return { newKid: res.body[0].id, effectiveAt: res.body[0].effectiveAt };
      },
    });
    const { samples, rotation, fetches } = run;
    const failures = samples.filter((s) => !s.ok);
    const after = samples.filter((s) => s.requestedAt >= rotation.effectiveAt);
    const firstNew = samples.find((s) => s.kid === rotation.newKid)!;
    console.log(`[signing-keys] staged rotation, grace ${GRACE_S} s: ${samples.length} tokens verified, ${failures.length} failures, ` +
      `${after.length} after effectiveAt; first new-kid token requested ${firstNew.requestedAt - rotation.effectiveAt} ms after effectiveAt; ` +
      `JWKS fetches by the resource server at +${fetches.map((f) => f - run.start).join(' ms, +')} ms`);

    expect(samples.length).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    for (const s of samples) {
      if (s.issuedAt < rotation.effectiveAt) expect(s.kid).toBe(old.id);
      if (s.requestedAt >= rotation.effectiveAt) expect(s.kid).toBe(rotation.newKid);
    }
    expect(after.length).toBeGreaterThan(20);
    // One fetch at the start, one when the first token with the new kid arrived.
    expect(fetches).toHaveLength(2);
    expect(fetches[1]!).toBeGreaterThanOrEqual(rotation.effectiveAt);
  }, 120_000);
});
