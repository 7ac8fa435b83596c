// The user's wire shape, shared by the users and roles services.
import type { Tx } from '../../db/index.ts';
import { boolOf, dateOf, jsonOf, optionalDateOf } from '../../db/sqlite-hot.ts';
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

/** A `User` row read by a raw SQLite statement (db/sqlite-hot.ts), as Prisma would have returned it. */
export function userRowFromSqlite(r: Record<string, unknown>): UserRow {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id),
    username: text(r.username),
    primaryEmail: text(r.primaryEmail),
    primaryPhone: text(r.primaryPhone),
    name: text(r.name),
    avatar: text(r.avatar),
    profile: jsonOf(r.profile) as UserRow['profile'],
    customData: jsonOf(r.customData) as UserRow['customData'],
    isSuspended: boolOf(r.isSuspended),
    passwordHash: text(r.passwordHash),
    lastSignInAt: optionalDateOf(r.lastSignInAt),
    createdAt: dateOf(r.createdAt),
    updatedAt: dateOf(r.updatedAt),
  };
}
