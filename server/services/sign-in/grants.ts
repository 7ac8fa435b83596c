// Grants: what a user consented to for an app (scopes and resources), the anchor of its codes and refresh
// tokens. The newest live grant of a user and app is the one in use; a consent widens it. Revoking a grant
// ends everything hanging off it: refresh tokens (so no new access tokens) and its opaque access tokens.
import { db, type Tx } from '../../db/index.ts';
import { changed } from '../cache.ts';
import { randomId } from '../crypto.ts';
import { revocation } from '../transaction.ts';

export const GRANT_TTL_SECONDS = 180 * 24 * 3600;

export type LiveGrant = { id: string; userId: string; applicationId: string; scopes: Set<string>; resources: Set<string>; expiresAt: Date };

type Row = { id: string; userId: string; applicationId: string; scopes: string; resources: unknown; expiresAt: Date };

const toGrant = (row: Row): LiveGrant => ({
  id: row.id,
  userId: row.userId,
  applicationId: row.applicationId,
  scopes: new Set(row.scopes.split(' ').filter(Boolean)),
  resources: new Set(Array.isArray(row.resources) ? (row.resources as string[]) : []),
  expiresAt: row.expiresAt,
});

export async function findLiveGrant(userId: string, applicationId: string, now = new Date(), client: Pick<Tx, 'grant'> = db()): Promise<LiveGrant | null> {
  const row = await client.grant.findFirst({
    where: { userId, applicationId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return row ? toGrant(row) : null;
}

/** Does the grant already cover these scopes and resources (so no consent is needed)? */
export function grantCovers(grant: LiveGrant | null, scopes: string[], resources: string[]): boolean {
  return !!grant && scopes.every((s) => grant.scopes.has(s)) && resources.every((r) => grant.resources.has(r));
}

/** Record a consent: widen the live grant (and restart its lifetime), or create one. Returns it. */
export async function recordConsent(tx: Tx, input: { userId: string; applicationId: string; scopes: string[]; resources: string[] }, now = new Date()): Promise<LiveGrant> {
  const expiresAt = new Date(now.getTime() + GRANT_TTL_SECONDS * 1000);
  const live = await findLiveGrant(input.userId, input.applicationId, now, tx);
  if (live) {
    const scopes = [...new Set([...live.scopes, ...input.scopes])];
    const resources = [...new Set([...live.resources, ...input.resources])];
    return toGrant(await tx.grant.update({ where: { id: live.id }, data: { scopes: scopes.join(' '), resources, expiresAt } }));
  }
  return toGrant(await tx.grant.create({
    data: { id: randomId(), userId: input.userId, applicationId: input.applicationId, scopes: input.scopes.join(' '), resources: input.resources, expiresAt },
  }));
}

/** Revoke a grant and what hangs off it (reuse of a rotated refresh token, "sign out everywhere"). */
export async function revokeGrant(id: string, client?: Tx): Promise<void> {
  const run = async (tx: Tx) => {
    const now = new Date();
    await tx.grant.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    await tx.refreshToken.updateMany({ where: { grantId: id, revokedAt: null }, data: { revokedAt: now } });
    await tx.opaqueToken.updateMany({ where: { grantId: id, revokedAt: null }, data: { revokedAt: now } });
  };
  if (!client) return revocation(run);
  await run(client);
  // Tokens seen active are cached (tokens/verify.ts); the caller's transaction helper clears them on commit.
  await changed(client);
}
