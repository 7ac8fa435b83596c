// Users: the tenant's end users, as Logto's `/api/users`. They are data, not cached configuration, so
// changes run in `dataChange`; each emits its Logto-named event (`User.Created`, `User.Data.Updated`, ...)
// with before/after. Passwords are hashed (Argon2i) and never leave this module: responses say `hasPassword`.
import { db, type Tx } from '../db/index.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { RoleResponse } from '../schemas/roles.ts';
import type { UserCreate, UserListQuery, UserPatch, UserProfile, UserResponse } from '../schemas/users.ts';
import type { Actor } from './actor.ts';
import { hashPassword, randomId } from './crypto.ts';
import { DomainError, isUniqueViolation, notFound, unprocessable } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { contains, skipTake } from './pages.ts';
import { assertWithinCaller } from './privilege.ts';
import { toRoleResponse } from './roles.ts';
import { revokeUserSignIns } from './sign-in/sessions.ts';
import { changed } from './cache.ts';
import { dataChange } from './transaction.ts';
import { passwordExpirationEnabled, usernamesIgnoreCase } from './sign-in/settings.ts';
import { toUserResponse, type UserRow } from './users/response.ts';
import { assertUserPassword, describeHash, encodeImported } from './users/password.ts';
import { normalizePhone, phoneSpellings } from './users/phone.ts';
import { findUserPage, searchTerm, usersInOrder } from './users/search.ts';
import { parseUserSearch } from './users/search-syntax.ts';
import { emitRolesUpdated, roleIdsOf } from './users/role-links.ts';

export { toUserResponse, type UserRow } from './users/response.ts';

type Reader = Pick<Tx, 'user'>;

/** Logto answers an unknown user id with 404 `entity.not_found`. */
async function requireUser(tx: Reader, id: string): Promise<UserRow> {
  const row = await tx.user.findUnique({ where: { id } });
  if (!row) throw new DomainError('not_found', 'entity.not_found', `The user with id \`${id}\` does not exist.`);
  return row;
}

// ---- Identifier uniqueness -------------------------------------------------------------------------

type Identifiers = { username?: string | null; primaryEmail?: string | null; primaryPhone?: string | null };

const IN_USE = {
  username: ['user.username_already_in_use', 'username'],
  primaryEmail: ['user.email_already_in_use', 'email'],
  primaryPhone: ['user.phone_already_in_use', 'phone number'],
} as const;

function inUse(field: keyof typeof IN_USE, value: string) {
  const [code, what] = IN_USE[field];
  return unprocessable(code, `This ${what} (\`${value}\`) is already in use by another user.`, field);
}

/**
 * Whether another user has this username: exactly, or (usernamePolicy.caseSensitive: false) in any case.
 * lower() in the query on both databases (usernames are ASCII: letters, digits, `_`), one indexed-size read.
 */
async function usernameTaken(tx: Tx, username: string, exceptUserId?: string): Promise<boolean> {
  if (!(await usernamesIgnoreCase())) {
    return (await tx.user.findFirst({ where: { username, ...(exceptUserId ? { NOT: { id: exceptUserId } } : {}) }, select: { id: true } })) !== null;
  }
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE lower("username") = lower(${username}) LIMIT 2`;
  return rows.some((r) => r.id !== exceptUserId);
}

/** Logto's identifier collision check: 422 naming the field. Emails compare case-insensitively. */
async function guardIdentifiers(tx: Tx, ids: Identifiers, exceptUserId?: string): Promise<void> {
  const other = exceptUserId ? { NOT: { id: exceptUserId } } : {};
  if (ids.username && (await usernameTaken(tx, ids.username, exceptUserId))) throw inUse('username', ids.username);
  if (ids.primaryEmail) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE lower("primaryEmail") = lower(${ids.primaryEmail})`;
    if (rows.some((r) => r.id !== exceptUserId)) throw inUse('primaryEmail', ids.primaryEmail);
  }
  // `61412345678` and a legacy `610412345678` are the same number.
  if (ids.primaryPhone && (await tx.user.findFirst({ where: { primaryPhone: { in: phoneSpellings(ids.primaryPhone) }, ...other }, select: { id: true } }))) {
    throw inUse('primaryPhone', ids.primaryPhone);
  }
}

/** A concurrent writer can still win the race: the unique index answers, mapped to the same 422. */
function mapUniqueViolation(error: unknown, ids: Identifiers): never {
  if (isUniqueViolation(error)) {
    const meta = JSON.stringify((error as { meta?: unknown }).meta ?? '');
    for (const field of ['primaryEmail', 'primaryPhone', 'username'] as const) {
      if (meta.includes(field) && ids[field]) throw inUse(field, ids[field]);
    }
    throw unprocessable('user.identifier_already_in_use', 'An identifier of this user is already in use by another user.');
  }
  throw error;
}

// ---- CRUD ------------------------------------------------------------------------------------------

/** A password, or an imported digest with its algorithm (Logto's rules and codes), or neither. */
async function initialPasswordHash(input: UserCreate): Promise<string | null> {
  if (input.password && input.passwordDigest) {
    throw new DomainError('invalid_input', 'user.password_and_digest', 'Give either password or passwordDigest, not both.', 'passwordDigest');
  }
  if (input.passwordDigest && !input.passwordAlgorithm) {
    throw new DomainError('invalid_input', 'user.password_algorithm_required', 'passwordAlgorithm is required with passwordDigest.', 'passwordAlgorithm');
  }
  if (input.passwordDigest && input.passwordAlgorithm) return encodeImported(input.passwordAlgorithm, input.passwordDigest);
  // Argon2i is deliberately slow: hash before the transaction so the write lock is held only for the write.
  return input.password ? hashPassword(input.password) : null;
}

export async function createUser(actor: Actor, raw: UserCreate, options: { id?: string } = {}): Promise<UserResponse> {
  const input = { ...raw, ...(raw.primaryPhone ? { primaryPhone: normalizePhone(raw.primaryPhone) } : {}) };
  const passwordHash = await initialPasswordHash(input);
  return dataChange(async (tx) => {
    await guardIdentifiers(tx, input);
    const row = await tx.user
      .create({
        data: {
          id: options.id ?? randomId(12),
          username: input.username ?? null,
          primaryEmail: input.primaryEmail ?? null,
          primaryPhone: input.primaryPhone ?? null,
          name: input.name ?? null,
          avatar: input.avatar || null,
          customData: (input.customData ?? {}) as object,
          profile: (input.profile ?? {}) as object,
          passwordHash,
        },
      })
      .catch((e) => mapUniqueViolation(e, input));
    // Logto gives new users the roles marked default (within what the caller may grant).
    const defaults = await tx.role.findMany({ where: { isDefault: true, type: 'User' }, select: { id: true } });
    if (defaults.length) {
      await tx.userRole.createMany({ data: defaults.map((r) => ({ userId: row.id, roleId: r.id })) });
      await assertWithinCaller(tx, actor, [{ type: 'user', id: row.id }]);
    }
    const response = toUserResponse(row);
    await emitDataEvent(tx, actor, { event: 'User.Created', entity: 'User', entityId: row.id, after: response, userId: row.id });
    return response;
  });
}

export async function listUsers(query: UserListQuery, page: Pagination): Promise<Page<UserResponse>> {
  const { total, ids } = await findUserPage(query, page);
  return { total, items: (await usersInOrder(ids)).map(toUserResponse) };
}

/**
 * The Management API's GET /users: Logto's advanced search syntax over the raw query (400
 * `request.invalid_input` when malformed), `excludeRoleId`, `excludeOrganizationId` and `includePasswordHash`.
 */
export async function searchUsers(
  query: Record<string, unknown> & { excludeRoleId?: string; excludeOrganizationId?: string },
  page: Pagination,
  options: { includePasswordHash?: boolean } = {},
): Promise<Page<UserResponse>> {
  const { total, ids } = await findUserPage({ advanced: parseUserSearch(query), excludeRoleId: query.excludeRoleId, excludeOrganizationId: query.excludeOrganizationId }, page);
  const rows = await usersInOrder(ids);
  return { total, items: rows.map((r) => ({ ...toUserResponse(r), ...(options.includePasswordHash ? describeHash(r.passwordHash) : {}) })) };
}

export async function getUser(id: string, options: { includeSsoIdentities?: boolean; includePasswordHash?: boolean } = {}): Promise<UserResponse> {
  const row = await requireUser(db(), id);
  return {
    ...toUserResponse(row),
    ...(options.includeSsoIdentities ? { ssoIdentities: [] } : {}),
    ...(options.includePasswordHash ? describeHash(row.passwordHash) : {}),
  };
}

/** Logto's POST /users/:userId/password/verify: resolves when correct, 422 `session.invalid_credentials` when not. */
export async function verifyPassword(id: string, password: string): Promise<void> {
  await assertUserPassword(await requireUser(db(), id), password);
}

/**
 * Logto's PATCH /users/:id/password/expiration. Marking a password expired needs the expiration policy,
 * which Sigil never enables (sign-in/settings.ts): `isExpired: true` is Logto's 400; `false` changes nothing
 * (no password is ever expired) and answers the user.
 */
export async function setPasswordExpired(id: string, isExpired: boolean): Promise<UserResponse> {
  const row = await requireUser(db(), id);
  if (isExpired && !passwordExpirationEnabled()) {
    throw new DomainError('invalid_input', 'sign_in_experiences.password_expiration_not_enabled', 'Password expiration policy is not enabled. Enable it in the sign-in experience settings before expiring passwords.');
  }
  return toUserResponse(row);
}

/** One update path for every user mutation: guard, write, emit `event` with before/after. */
async function changeUser(
  actor: Actor,
  id: string,
  event: 'User.Data.Updated' | 'User.SuspensionStatus.Updated',
  build: (before: UserRow, tx: Tx) => Promise<Parameters<Tx['user']['update']>[0]['data']>,
): Promise<UserResponse> {
  return dataChange(async (tx) => {
    const before = await requireUser(tx, id);
    const data = await build(before, tx);
    const row = await tx.user.update({ where: { id }, data }).catch((e) => mapUniqueViolation(e, data as Identifiers));
    const after = toUserResponse(row);
    await emitDataEvent(tx, actor, { event, entity: 'User', entityId: id, before: toUserResponse(before), after, userId: id });
    return after;
  });
}

/** Logto's PATCH /users/:userId: `null` or '' clears an identifier; customData and profile are replaced. */
export async function updateUser(actor: Actor, id: string, patch: UserPatch): Promise<UserResponse> {
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new DomainError('unprocessable', 'entity.invalid_input', 'The update has no fields to change.');
  }
  const clear = (v: string | null | undefined) => (v === '' ? null : v);
  const phone = clear(patch.primaryPhone);
  const ids: Identifiers = { username: clear(patch.username), primaryEmail: clear(patch.primaryEmail), primaryPhone: phone ? normalizePhone(phone) : phone };
  return changeUser(actor, id, 'User.Data.Updated', async (_, tx) => {
    await guardIdentifiers(tx, ids, id);
    return {
      ...(ids.username !== undefined ? { username: ids.username } : {}),
      ...(ids.primaryEmail !== undefined ? { primaryEmail: ids.primaryEmail } : {}),
      ...(ids.primaryPhone !== undefined ? { primaryPhone: ids.primaryPhone } : {}),
      ...(patch.name !== undefined ? { name: clear(patch.name) } : {}),
      ...(patch.avatar !== undefined ? { avatar: clear(patch.avatar) } : {}),
      ...(patch.customData !== undefined ? { customData: patch.customData as object } : {}),
      ...(patch.profile !== undefined ? { profile: patch.profile as object } : {}),
    };
  });
}

export async function getCustomData(id: string): Promise<Record<string, unknown>> {
  return (await getUser(id)).customData;
}

/** Logto's PATCH /users/:userId/custom-data: a shallow merge into the stored object; returns the result. */
export async function updateCustomData(actor: Actor, id: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const user = await changeUser(actor, id, 'User.Data.Updated', async (before) => ({
    customData: { ...(before.customData as object), ...data } as object,
  }));
  return user.customData;
}

/** Logto's PATCH /users/:userId/profile: a shallow merge of the standard profile claims; returns the result. */
export async function updateProfile(actor: Actor, id: string, profile: UserProfile): Promise<UserProfile> {
  const user = await changeUser(actor, id, 'User.Data.Updated', async (before) => ({
    profile: { ...(before.profile as object), ...profile } as object,
  }));
  return user.profile;
}

/**
 * Suspending also ends what the user already holds: their sign-in sessions, grants and refresh tokens and
 * their opaque access tokens are revoked and unused subject tokens (impersonation) are dropped, in the
 * same transaction.
 */
export async function setSuspended(actor: Actor, id: string, isSuspended: boolean): Promise<UserResponse> {
  return changeUser(actor, id, 'User.SuspensionStatus.Updated', async (_, tx) => {
    if (isSuspended) await revokeUserTokens(tx, id);
    // Reinstating gives the user back what their roles hold.
    else await assertWithinCaller(tx, actor, [{ type: 'user', id }]);
    return { isSuspended };
  });
}

export async function setPassword(actor: Actor, id: string, password: string): Promise<UserResponse> {
  await requireUser(db(), id); // 404 before spending ~0.1 s on Argon2i
  const passwordHash = await hashPassword(password);
  // A password is a way to act as the user: only for callers holding what the user holds.
  return changeUser(actor, id, 'User.Data.Updated', async (_, tx) => {
    await assertWithinCaller(tx, actor, [{ type: 'user', id }]);
    return { passwordHash };
  });
}

export async function deleteUser(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const before = await requireUser(tx, id);
    await revokeUserTokens(tx, id);
    await tx.user.delete({ where: { id } });
    const response = toUserResponse(before);
    // Webhook data: Logto's user info fields (userInfoSelectFields), so not `hasPassword`.
    const { hasPassword: _, ...userInfo } = response;
    await emitDataEvent(tx, actor, { event: 'User.Deleted', entity: 'User', entityId: id, before: response, data: userInfo, userId: id });
  });
}

/**
 * "Sign out everywhere" (console): ends what the user holds, exactly as suspension does (sessions, grants,
 * refresh tokens, opaque access tokens, unused subject tokens), without suspending them: they can sign in
 * again. JWT access tokens already issued stay valid until they expire (minutes), as after suspension.
 */
export async function signOutEverywhere(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const user = toUserResponse(await requireUser(tx, id));
    await revokeUserTokens(tx, id);
    await emitDataEvent(tx, actor, { event: 'User.SignIns.Revoked', entity: 'User', entityId: id, data: user, userId: id });
  });
}

async function revokeUserTokens(tx: Tx, userId: string): Promise<void> {
  await revokeUserSignIns(tx, userId);
  await tx.opaqueToken.updateMany({ where: { subject: userId, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date() } });
  await tx.subjectToken.deleteMany({ where: { userId, consumedAt: null } });
  // Tokens seen active are cached (tokens/verify.ts); dataChange clears them once this commits.
  await changed(tx);
}

// ---- Roles -----------------------------------------------------------------------------------------

/** The user's roles (Logto lists only `User` roles here), with Logto's `search` over name and description. */
export async function listUserRoles(id: string, page: Pagination, query: { search?: string } = {}): Promise<Page<RoleResponse>> {
  await requireUser(db(), id);
  const term = contains(searchTerm(query.search));
  const where = { type: 'User', users: { some: { userId: id } }, ...(term ? { OR: [{ name: term }, { description: term }] } : {}) };
  const [total, rows] = await Promise.all([
    db().role.count({ where }),
    db().role.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows.map(toRoleResponse) };
}

/**
 * Assign `User` roles (Logto's POST /users/:userId/roles). Roles the user already has are skipped, as
 * Logto does; an unknown role is 404 and a MachineToMachine role 422 `user.invalid_role_type`.
 */
export async function assignUserRoles(actor: Actor, id: string, roleIds: string[]): Promise<{ roleIds: string[]; addedRoleIds: string[] }> {
  return dataChange(async (tx) => {
    await requireUser(tx, id);
    const wanted = [...new Set(roleIds)];
    await requireUserRoles(tx, wanted);
    const before = await roleIdsOf(tx, id);
    const added = wanted.filter((r) => !before.includes(r));
    if (added.length > 0) {
      await tx.userRole.createMany({ data: added.map((roleId) => ({ userId: id, roleId })) });
      await assertWithinCaller(tx, actor, [{ type: 'user', id }]);
      await emitRolesUpdated(tx, actor, id, before);
    }
    return { roleIds, addedRoleIds: added };
  });
}

/** Every id is a `User` role: an unknown one is 404, a MachineToMachine one 422 `user.invalid_role_type`. */
async function requireUserRoles(tx: Tx, wanted: string[]): Promise<void> {
  const roles = await tx.role.findMany({ where: { id: { in: wanted } } });
  for (const roleId of wanted) {
    const role = roles.find((r) => r.id === roleId);
    if (!role) throw notFound('role', roleId);
    if (role.type !== 'User') {
      throw unprocessable('user.invalid_role_type', `Role \`${role.name}\` is a ${role.type} role; users take User roles.`, 'roleIds');
    }
  }
}

/** Logto's PUT /users/:userId/roles: the user ends up with exactly `roleIds` (an empty list removes all). */
export async function replaceUserRoles(actor: Actor, id: string, roleIds: string[]): Promise<{ roleIds: string[] }> {
  const wanted = [...new Set(roleIds)];
  await dataChange(async (tx) => {
    await requireUser(tx, id);
    await requireUserRoles(tx, wanted);
    const before = await roleIdsOf(tx, id);
    const added = wanted.filter((r) => !before.includes(r));
    const removed = before.filter((r) => !wanted.includes(r));
    if (added.length === 0 && removed.length === 0) return;
    if (removed.length) await tx.userRole.deleteMany({ where: { userId: id, roleId: { in: removed } } });
    if (added.length) await tx.userRole.createMany({ data: added.map((roleId) => ({ userId: id, roleId })) });
    await assertWithinCaller(tx, actor, [{ type: 'user', id }]);
    await emitRolesUpdated(tx, actor, id, before);
  });
  return { roleIds: wanted };
}

export async function removeUserRole(actor: Actor, id: string, roleId: string): Promise<void> {
  await dataChange(async (tx) => {
    await requireUser(tx, id);
    const link = await tx.userRole.findUnique({ where: { userId_roleId: { userId: id, roleId } } });
    if (!link) throw notFound('user role', roleId);
    const before = await roleIdsOf(tx, id);
    await tx.userRole.delete({ where: { userId_roleId: { userId: id, roleId } } });
    await emitRolesUpdated(tx, actor, id, before);
  });
}
