// The user's wire shape and the user search filter, shared by the users and roles services.
import type { Provider, Tx } from '../../db/index.ts';
import type { UserProfile, UserResponse } from '../../schemas/users.ts';
import { contains } from '../pages.ts';

export type UserRow = Awaited<ReturnType<Tx['user']['findUniqueOrThrow']>>;

/** Never carries the password hash: only whether there is one. */
export function toUserResponse(row: UserRow): UserResponse {
  return {
    id: row.id,
    username: row.username,
    primaryEmail: row.primaryEmail,
    primaryPhone: row.primaryPhone,
    name: row.name,
    avatar: row.avatar,
    customData: (row.customData ?? {}) as Record<string, unknown>,
    profile: (row.profile ?? {}) as UserProfile,
    identities: {},
    lastSignInAt: row.lastSignInAt?.getTime() ?? null,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    isSuspended: row.isSuspended,
    hasPassword: row.passwordHash !== null,
  };
}

/**
 * Logto's `search` is an SQL LIKE pattern (`%foo%`); here it is a case-insensitive substring over id,
 * username, email, phone and name, so the surrounding `%` of Logto-style queries are dropped.
 */
export function userSearchWhere(search: string | undefined, provider: Provider) {
  const value = search?.replace(/^%+|%+$/g, '').trim();
  const term = contains(value, provider);
  if (!term || !value) return undefined;
  const phone = contains(value.replace(/^\+/, ''), provider);
  return {
    OR: [
      { id: term },
      { username: term },
      { primaryEmail: term },
      { name: term },
      ...(phone ? [{ primaryPhone: phone }] : []),
    ],
  };
}
