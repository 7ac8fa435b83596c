// Claiming due webhook outbox rows (services/webhooks/claim.ts says what a lease is). How a claim stays
// disjoint from concurrent claims is the databases' difference:
// - PostgreSQL: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED), one statement (its own
//   transaction), so concurrent dispatchers (several instances, cron + after()) take disjoint rows
//   without waiting on each other.
// - SQLite: one writer at a time; a conditional UPDATE (`... AND (leaseUntil IS NULL OR leaseUntil < now)`)
//   is atomic, and reading back by the claim's owner id tells which rows this claim won.
import { db } from '../index.ts';
import { variant } from './variant.ts';

/** One claim: `owner` is unique to it, `leaseUntil` when its rows become claimable again. */
export type Lease = { owner: string; now: Date; leaseUntil: Date; limit: number };

export type ClaimedDelivery = Awaited<ReturnType<typeof loadClaimed>>[number];

// Disabling a hook pauses its deliveries (they stay Pending and resume when it is enabled again).
const dueWhere = (now: Date) => ({
  status: 'Pending',
  nextAttemptAt: { lte: now },
  OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
  hook: { enabled: true },
});

const HOOK_FIELDS = { select: { id: true, url: true, headers: true, signingKey: true, enabled: true } } as const;

/** The rows a claim won: by primary key (there is no index on the owner), then filtered by owner. */
function loadClaimed(owner: string, ids: string[]) {
  return db().hookDelivery.findMany({ where: { id: { in: ids }, leaseOwner: owner }, include: { hook: HOOK_FIELDS } });
}

async function skipLocked({ owner, now, leaseUntil, limit }: Lease): Promise<ClaimedDelivery[]> {
  // The inner SELECT locks the rows it picks and skips rows another claim has locked.
  const won = await db().$queryRaw<Array<{ id: string }>>`
    UPDATE "HookDelivery" SET "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil}, "updatedAt" = ${now}
    WHERE "id" IN (
      SELECT d."id" FROM "HookDelivery" d JOIN "Hook" h ON h."id" = d."hookId" AND h."enabled"
      WHERE d."status" = 'Pending' AND d."nextAttemptAt" <= ${now} AND (d."leaseUntil" IS NULL OR d."leaseUntil" < ${now})
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED)
    RETURNING "id"`;
  return won.length > 0 ? loadClaimed(owner, won.map((r) => r.id)) : [];
}

async function conditionalUpdate({ owner, now, leaseUntil, limit }: Lease): Promise<ClaimedDelivery[]> {
  const candidates = await db().hookDelivery.findMany({ where: dueWhere(now), orderBy: { nextAttemptAt: 'asc' }, take: limit, include: { hook: HOOK_FIELDS } });
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  const { count } = await db().hookDelivery.updateMany({ where: { id: { in: ids }, ...dueWhere(now) }, data: { leaseOwner: owner, leaseUntil } });
  // Usually every candidate is won (one process per SQLite file); otherwise ask which.
  if (count === candidates.length) return candidates.map((c) => ({ ...c, leaseOwner: owner, leaseUntil }));
  return count > 0 ? loadClaimed(owner, ids) : [];
}

/** Lease up to `limit` due deliveries of enabled hooks, soonest first: the rows this claim won, with their hook. */
export function claimDueDeliveries(lease: Lease): Promise<ClaimedDelivery[]> {
  return variant({ postgresql: skipLocked, sqlite: conditionalUpdate })(lease);
}
