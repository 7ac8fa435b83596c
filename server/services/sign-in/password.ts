// Password sign-in's credential check: find the user by username or email and verify the password. An
// unknown identifier costs the same scrypt work as a known one, so response time tells nothing.
import { db } from '../../db/index.ts';
import { verifyUserPassword } from '../users/password.ts';
import type { UserRow } from '../users/response.ts';

/** Username (exact) or email (case-insensitive), as the form's "Username or email" field. */
export async function findUserByIdentifier(identifier: string): Promise<UserRow | null> {
  const value = identifier.trim();
  if (!value || value.length > 320) return null;
  if (value.includes('@')) {
    const rows = await db().$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE lower("primaryEmail") = lower(${value}) LIMIT 1`;
    return rows[0] ? db().user.findUnique({ where: { id: rows[0].id } }) : null;
  }
  return db().user.findUnique({ where: { username: value } });
}

/** The user these credentials belong to, or null. Suspension is the caller's decision (after the check). */
export async function checkPassword(identifier: string, password: string): Promise<UserRow | null> {
  const user = await findUserByIdentifier(identifier);
  // The one user-password check (imported digests included; a match upgrades them to Sigil's hash).
  const ok = await verifyUserPassword(user, password.slice(0, 256));
  return user && ok ? user : null;
}
