// Throttling of end-user sign-in failures, on the console's database-backed policy (server/auth/throttle.ts:
// lockouts that hold across instances and restarts): per identifier (guessing one account's password) and
// per client IP (spraying many accounts). The keys have their own prefixes, so end users and console
// administrators never share a counter.
import { db } from '../../db/index.ts';
import { lockedFor, recordFailure, THROTTLE, type ThrottleKey } from '../../auth/throttle.ts';

export { lockedFor, recordFailure };

export function signInThrottleKeys(identifier: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `user:${identifier.trim().toLowerCase().slice(0, 254)}`, threshold: THROTTLE.emailThreshold }];
  if (ip) keys.push({ key: `user-ip:${ip.slice(0, 64)}`, threshold: THROTTLE.ipThreshold });
  return keys;
}

/** A successful sign-in clears the identifier's counter (never the IP's). */
export async function clearIdentifierFailures(keys: ThrottleKey[]): Promise<void> {
  const identifier = keys.find((k) => k.key.startsWith('user:'));
  if (identifier) await db().signInThrottle.deleteMany({ where: { key: identifier.key } });
}
