// The console sign-in lockout schedule (server/auth/throttle.ts): nothing under the threshold, then
// doubling from 30 s, capped at an hour; keys normalise the email so case and spaces share a counter, and
// count IPv6 clients by their /64.
import { describe, expect, it } from 'vitest';
import { ipBucket, lockSeconds, THROTTLE, throttleKeys } from '../../server/auth/throttle.ts';

describe('console sign-in throttle', () => {
  it('locks only from the threshold on, doubling, capped', () => {
    const t = THROTTLE.accountIpThreshold;
    expect([...Array(t).keys()].map((f) => lockSeconds(f, t))).toEqual(Array(t).fill(0));
    expect([t, t + 1, t + 2, t + 3].map((f) => lockSeconds(f, t))).toEqual([30, 60, 120, 240]);
    expect(lockSeconds(t + 7, t)).toBe(3600);
    expect(lockSeconds(t + 1000, t)).toBe(THROTTLE.maxLockSeconds);
  });

  it('counts per account+IP, per IP and per account, with rising thresholds', () => {
    expect(throttleKeys('  Admin@Example.COM ', '203.0.113.9')).toEqual([
      { key: 'account-ip:admin@example.com|203.0.113.9', threshold: 5 },
      { key: 'ip:203.0.113.9', threshold: 20 },
      { key: 'account:admin@example.com', threshold: 100 },
    ]);
    expect(throttleKeys('a@b.co', null).map((k) => k.key)).toEqual(['account-ip:a@b.co|unknown', 'ip:unknown', 'account:a@b.co']);
  });

  it('counts an IPv6 client by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(ipBucket('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipBucket('2001:0DB8:0000:0002::ffff')).toBe('2001:db8:0:2::/64');
    expect(ipBucket('2001:db8::1')).toBe(ipBucket('2001:db8::2'));
    expect(ipBucket('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(ipBucket('198.51.100.7')).toBe('198.51.100.7');
  });
});
