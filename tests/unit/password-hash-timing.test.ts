// Password hashing (server/services/crypto.ts): Argon2i with Logto's parameters, computed in worker threads
// so a hash never stalls the event loop that answers requests; an unknown account (the dummy hash) costs
// what a real check costs, so timing does not tell which accounts exist. Medians after a warm-up, with
// bounds loose enough for a busy 2-core machine and far from what a regression would give.
import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../server/services/crypto.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('password hashing', () => {
  it("hashes as Logto does and verifies in constant time: right, wrong and the dummy cost the same", async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2i\$v=19\$m=8192,t=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('anything', DUMMY_PASSWORD_HASH)).toBe(false);
    const right: number[] = [];
    const wrong: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 9; i++) {
      right.push(await timed(() => verifyPassword('correct horse battery staple', hash)));
      wrong.push(await timed(() => verifyPassword('wrong', hash)));
      dummy.push(await timed(() => verifyPassword('wrong', DUMMY_PASSWORD_HASH)));
    }
    const [r, w, d] = [median(right), median(wrong), median(dummy)];
    // The same Argon2 work each time; a shortcut (e.g. no work for an unknown account) would be ~0 ms.
    expect(w / r).toBeGreaterThan(0.6);
    expect(w / r).toBeLessThan(1.6);
    expect(d / r).toBeGreaterThan(0.6);
    expect(d / r).toBeLessThan(1.6);
  });

  it('runs off the event loop: timers keep firing while four hashes are computed', async () => {
    await hashPassword('warm-up'); // workers started
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 5);
      last = now;
    }, 5);
    const elapsed = await timed(() => Promise.all([1, 2, 3, 4].map((i) => hashPassword(`password ${i}`))));
    clearInterval(timer);
    // On the event loop, every tick would wait for a whole hash (~0.1 s or more); off it, ticks are on time.
    expect(elapsed).toBeGreaterThan(100);
    expect(lags.length).toBeGreaterThan(5);
    expect(median(lags)).toBeLessThan(25);
  });
});
