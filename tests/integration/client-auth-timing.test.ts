// Client authentication must not tell which client ids exist: a known id with a wrong secret and an id
// never seen before cost the same (a dummy hash compare on a miss, and no per-miss database round trip or
// cache entry). Medians of 200 requests each, interleaved so that machine noise hits both alike, after a
// warm-up; a round within 15 % passes (three rounds at most, since other work shares this machine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let known: string;
let resource: string;

beforeAll(async () => {
  sigil = await startSigil();
  const m2m = await setupM2M(sigil);
  known = m2m.app.id;
  resource = m2m.indicator;
});
afterAll(async () => sigil?.stop());

async function timed(clientId: string): Promise<number> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', resource }).toString();
  const started = process.hrtime.bigint();
  const res = await fetch(`${sigil.url}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, 'wrong-secret-0123456789abcdefghijklmnopq') },
    body,
  });
  await res.arrayBuffer();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  expect(res.status).toBe(401);
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const neverSeen = () => `probe-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

describe('client authentication timing', () => {
  it('a known id with a wrong secret and a never-seen id take the same time (medians within 15 %)', async () => {
    for (let i = 0; i < 60; i++) await timed(i % 2 ? known : neverSeen());
    const rounds: string[] = [];
    for (let round = 0; round < 3; round++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 200; i++) {
        // Alternate which goes first, so neither always follows the other.
        if (i % 2) {
          a.push(await timed(known));
          b.push(await timed(neverSeen()));
        } else {
          b.push(await timed(neverSeen()));
          a.push(await timed(known));
        }
      }
      const [ma, mb] = [median(a), median(b)];
      const diff = Math.abs(ma - mb) / Math.min(ma, mb);
      rounds.push(`known ${ma.toFixed(3)} ms, unknown ${mb.toFixed(3)} ms, ${(diff * 100).toFixed(1)} %`);
      console.log(`[timing] round ${round + 1}: ${rounds.at(-1)}`);
      if (diff <= 0.15) return;
    }
    expect.fail(`medians differ by more than 15 % in every round:\n${rounds.join('\n')}`);
  }, 180_000);
});
