// Password sign-in's credential check: find the user by username or email and verify the password. An
// unknown identifier costs the same scrypt work as a known one, so response time tells nothing.
import { db } from '../../db/index.ts';
import { verifyUserPassword } from '../users/password.ts';
import type { UserRow } from '../users/response.ts';
import { usernamesIgnoreCase } from './settings.ts';

/** Username (exact, or in any case under a case-insensitive username policy) or email (case-insensitive). */
export async function findUserByIdentifier(identifier: string): Promise<UserRow | null> {
  const value = identifier.trim();
  if (!value || value.length > 320) return null;
  if (value.includes('@')) {
    const rows = await db().$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE lower("primaryEmail") = lower(${value}) LIMIT 1`;
    return rows[0] ? db().user.findUnique({ where: { id: rows[0].id } }) : null;
  }
  const exact = await db().user.findUnique({ where: { username: value } });
  if (exact || !(await usernamesIgnoreCase())) return exact;
  // usernamePolicy.caseSensitive: false: `Alice` signs in as `alice` (only when that is unambiguous:
  // users from before the policy changed may differ only by case).
  const rows = await db().$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE lower("username") = lower(${value}) LIMIT 2`;
  return rows.length === 1 ? db().user.findUnique({ where: { id: rows[0]!.id } }) : null;
}

/** The user these credentials belong to, or null. Suspension is the caller's decision (after the check). */
export async function checkPassword(identifier: string, password: string): Promise<UserRow | null> {
  const user = await findUserByIdentifier(identifier);
  // The one user-password check (imported digests included; a match upgrades them to Sigil's hash).
  const ok = await verifyUserPassword(user, password.slice(0, 256));
  return user && ok ? user : null;
}
