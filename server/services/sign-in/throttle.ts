// Throttling of end-user sign-in failures, on the console's database-backed policy (server/auth/throttle.ts:
// lockouts that hold across instances and restarts; per account+IP, per IP, and per account only at a high
// threshold, IPv6 by /64). End users' keys carry their own prefix, so they never share a counter with
// console administrators.
import { db } from '../../db/index.ts';
import { lockedFor, recordFailure, throttleKeys, type ThrottleKey } from '../../auth/throttle.ts';

export { lockedFor, recordFailure };

const PREFIX = 'user-';

export function signInThrottleKeys(identifier: string, ip: string | null): ThrottleKey[] {
  return throttleKeys(identifier, ip).map((k) => ({ ...k, key: PREFIX + k.key }));
}

/** A successful sign-in clears the account+IP counter (never the IP's nor the account-wide one). */
export async function clearIdentifierFailures(keys: ThrottleKey[]): Promise<void> {
  const here = keys.find((k) => k.key.startsWith(`${PREFIX}account-ip:`));
  if (here) await db().signInThrottle.deleteMany({ where: { key: here.key } });
}
