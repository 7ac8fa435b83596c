// The console sign-in lockout schedule (server/auth/throttle.ts): nothing under the threshold, then
// doubling from 30 s, capped at an hour; keys normalise the email so case and spaces share a counter.
import { describe, expect, it } from 'vitest';
import { lockSeconds, THROTTLE, throttleKeys } from '../../server/auth/throttle.ts';

describe('console sign-in throttle', () => {
  it('locks only from the threshold on, doubling, capped', () => {
    const t = THROTTLE.emailThreshold;
    expect([...Array(t).keys()].map((f) => lockSeconds(f, t))).toEqual(Array(t).fill(0));
    expect([t, t + 1, t + 2, t + 3].map((f) => lockSeconds(f, t))).toEqual([30, 60, 120, 240]);
    expect(lockSeconds(t + 7, t)).toBe(3600);
    expect(lockSeconds(t + 1000, t)).toBe(THROTTLE.maxLockSeconds);
  });

  it('counts per normalised email and per IP, with a higher IP threshold', () => {
    expect(throttleKeys('  Admin@Example.COM ', '203.0.113.9')).toEqual([
      { key: 'email:admin@example.com', threshold: 5 },
      { key: 'ip:203.0.113.9', threshold: 20 },
    ]);
    expect(throttleKeys('a@b.co', null)).toEqual([{ key: 'email:a@b.co', threshold: 5 }]);
  });
});
