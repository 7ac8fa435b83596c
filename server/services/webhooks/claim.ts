// Claiming due outbox rows. A claim is a lease: `leaseOwner` + `leaseUntil`. Whoever holds an unexpired
// lease is the only one delivering the row; an expired lease (the holder crashed or hung) makes the row
// claimable again, which is how nothing is lost across kill -9.
// - PostgreSQL: UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED), one statement (its own
//   transaction), so concurrent dispatchers (several instances, cron + after()) take disjoint rows
//   without waiting on each other.
// - SQLite: one writer at a time; a conditional UPDATE (`... AND (leaseUntil IS NULL OR leaseUntil < now)`)
//   is atomic, and reading back by a per-claim owner id tells which rows this claim won.
import { db, dbProvider } from '../../db/index.ts';
import { randomId } from '../crypto.ts';

export type ClaimedDelivery = Awaited<ReturnType<typeof loadClaimed>>[number];

// Disabling a hook pauses its deliveries (they stay Pending and resume when it is enabled again).
const dueWhere = (now: Date) => ({
  status: 'Pending',
  nextAttemptAt: { lte: now },
  OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
  hook: { enabled: true },
});

const HOOK_FIELDS = { select: { id: true, url: true, headers: true, signingKey: true, enabled: true } } as const;

export async function claimDue(instanceId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const now = new Date();
  const owner = `${instanceId}:${randomId(8)}`;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  if (dbProvider() === 'postgresql') {
    // One statement: the inner SELECT locks the rows it picks and skips rows another claim has locked.
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
  const candidates = await db().hookDelivery.findMany({ where: dueWhere(now), orderBy: { nextAttemptAt: 'asc' }, take: limit, include: { hook: HOOK_FIELDS } });
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  const { count } = await db().hookDelivery.updateMany({ where: { id: { in: ids }, ...dueWhere(now) }, data: { leaseOwner: owner, leaseUntil } });
  // Usually every candidate is won (one process per SQLite file); otherwise ask which.
  if (count === candidates.length) return candidates.map((c) => ({ ...c, leaseOwner: owner, leaseUntil }));
  return count > 0 ? loadClaimed(owner, ids) : [];
}

/** The rows a claim won: by primary key (there is no index on the owner), then filtered by owner. */
function loadClaimed(owner: string, ids: string[]) {
  return db().hookDelivery.findMany({ where: { id: { in: ids }, leaseOwner: owner }, include: { hook: HOOK_FIELDS } });
}
