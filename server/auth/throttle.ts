// Console sign-in throttling, stored in the SignInThrottle table so that it holds across serverless
// instances and restarts. Three counters per attempt:
// - per account and client IP: guessing one account's password from one place (low threshold);
// - per client IP: spraying many accounts from one place (higher: offices share an IP);
// - per account, from anywhere: a distributed guess (much higher, so that no one can lock an administrator
//   out from every address with a handful of wrong passwords).
// IPv6 addresses count per /64, the block one subscriber usually gets.
// Policy: after `threshold` failures inside the window, each further failure locks the key for
// BASE * 2^(failures - threshold) seconds, capped at MAX. While locked, attempts are refused without
// checking the password (so a lockout also stops the scrypt cost). A success clears the account+IP counter.
import { isIPv6 } from 'node:net';
import { db } from '../db/index.ts';
import { isUniqueViolation } from '../services/errors.ts';

export const THROTTLE = {
  accountIpThreshold: 5,
  ipThreshold: 20,
  accountThreshold: 100,
  baseLockSeconds: 30,
  maxLockSeconds: 3600,
  /** Failures are forgotten this long after the window started (or after the last lock ended). */
  windowSeconds: 15 * 60,
} as const;

export type ThrottleKey = { key: string; threshold: number };

/** The address as throttling counts it: IPv4 as is, IPv6 by its /64 prefix. */
export function ipBucket(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!isIPv6(address)) return address.slice(0, 64);
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const account = email.trim().toLowerCase().slice(0, 254);
  const place = ip ? ipBucket(ip) : 'unknown';
  return [
    { key: `account-ip:${account}|${place}`, threshold: THROTTLE.accountIpThreshold },
    { key: `ip:${place}`, threshold: THROTTLE.ipThreshold },
    { key: `account:${account}`, threshold: THROTTLE.accountThreshold },
  ];
}

/** Seconds of lockout after `failures` failures (0 while under the threshold). Pure: unit-tested. */
export function lockSeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  const exponent = Math.min(failures - threshold, 20);
  return Math.min(THROTTLE.baseLockSeconds * 2 ** exponent, THROTTLE.maxLockSeconds);
}

/** Seconds until every key is unlocked, or 0 when none is locked. */
export async function lockedFor(keys: ThrottleKey[], now = new Date()): Promise<number> {
  const rows = await db().signInThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: now } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil!.getTime()));
  return until ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

async function recordOne({ key, threshold }: ThrottleKey, now: Date): Promise<void> {
  const stale = new Date(now.getTime() - THROTTLE.windowSeconds * 1000);
  // Forget an old window atomically (a conditional update), so concurrent failures never lose counts.
  await db().signInThrottle.updateMany({
    where: { key, windowStart: { lt: stale }, OR: [{ blockedUntil: null }, { blockedUntil: { lt: stale } }] },
    data: { failures: 0, windowStart: now, blockedUntil: null },
  });
  let row;
  for (let attempt = 0; ; attempt++) {
    try {
      row = await db().signInThrottle.upsert({
        where: { key },
        create: { key, failures: 1, windowStart: now },
        update: { failures: { increment: 1 } },
      });
      break;
    } catch (error) {
      // Two instances created the row at once: the second increments it.
      if (!isUniqueViolation(error) || attempt > 2) throw error;
    }
  }
  const seconds = lockSeconds(row.failures, threshold);
  if (seconds > 0) {
    await db().signInThrottle.update({ where: { key }, data: { blockedUntil: new Date(now.getTime() + seconds * 1000) } });
  }
}

export async function recordFailure(keys: ThrottleKey[], now = new Date()): Promise<void> {
  for (const key of keys) await recordOne(key, now);
  // Keep the table small without a background job: an occasional sweep of long-forgotten rows.
  if (Math.random() < 0.02) {
    const old = new Date(now.getTime() - 24 * 3600 * 1000);
    await db().signInThrottle.deleteMany({ where: { windowStart: { lt: old }, OR: [{ blockedUntil: null }, { blockedUntil: { lt: old } }] } });
  }
}

/**
 * A successful sign-in clears the account+IP counter; not the IP's (one known password must not reset
 * spraying) nor the account's (the rightful owner signing in must not reset a distributed guess).
 */
export async function recordSuccess(keys: ThrottleKey[]): Promise<void> {
  const here = keys.find((k) => k.key.startsWith('account-ip:'));
  if (here) await db().signInThrottle.deleteMany({ where: { key: here.key } });
}
