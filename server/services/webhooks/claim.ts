// Claiming due outbox rows. A claim is a lease: `leaseOwner` + `leaseUntil`. Whoever holds an unexpired
// lease is the only one delivering the row; an expired lease (the holder crashed or hung) makes the row
// claimable again, which is how nothing is lost across kill -9. How concurrent claims stay disjoint is up
// to the database (db/dialect/delivery-lease.ts).
import { claimDueDeliveries, type ClaimedDelivery } from '../../db/dialect/index.ts';
import { randomId } from '../crypto.ts';

export type { ClaimedDelivery };

export async function claimDue(instanceId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const now = new Date();
  return claimDueDeliveries({ owner: `${instanceId}:${randomId(8)}`, now, leaseUntil: new Date(now.getTime() + leaseMs), limit });
}
