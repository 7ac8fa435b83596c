// The user's wire shape, shared by the users and roles services.
import type { Tx } from '../../db/index.ts';
import type { UserProfile, UserResponse } from '../../schemas/users.ts';

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
