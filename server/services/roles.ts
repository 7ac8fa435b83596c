// Roles and the scopes they carry.
import { db, type Tx } from '../db/index.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { ScopeResponse } from '../schemas/resources.ts';
import type { RoleCreate, RolePatch, RoleResponse } from '../schemas/roles.ts';
import type { UserResponse } from '../schemas/users.ts';
import type { Actor } from './actor.ts';
import { randomId } from './crypto.ts';
import { conflict, DomainError, notFound, unprocessable } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { MANAGEMENT_RESOURCE_ID, MANAGEMENT_ROLE_ID } from './management-resource.ts';
import { likeSearch as contains, skipTake } from './pages.ts';
import { assertWithinCaller } from './privilege.ts';
import { toResourceResponse, toScopeResponse } from './resources.ts';
import { configChange, dataChange } from './transaction.ts';
import { toUserResponse } from './users/response.ts';
import { findUserPage, usersInOrder } from './users/search.ts';
import { emitRolesUpdated, roleIdsOf } from './users/role-links.ts';

type RoleRow = Awaited<ReturnType<Tx['role']['findUniqueOrThrow']>>;

export function toRoleResponse(r: RoleRow): RoleResponse {
  return { id: r.id, name: r.name, description: r.description, type: r.type as RoleResponse['type'], isDefault: r.isDefault, createdAt: r.createdAt.getTime() };
}

async function requireRole(tx: Tx, id: string): Promise<RoleRow> {
  const row = await tx.role.findUnique({ where: { id } });
  if (!row) throw notFound('role', id);
  return row;
}

/** The built-in "Management API access" role keeps its scope set and cannot be deleted (as the built-in resource). */
function guardBuiltIn(role: RoleRow, what: string): void {
  if (role.id === MANAGEMENT_ROLE_ID) {
    throw unprocessable('role.cannot_modify_management_api_access', `The built-in role \`${role.name}\` cannot be changed: ${what}.`);
  }
}

/** Every id must be an existing scope; a User role may not carry the Management API's `all` (Logto's rule). */
async function requireScopes(tx: Tx, scopeIds: string[], roleType: string): Promise<void> {
  const found = await tx.scope.findMany({ where: { id: { in: scopeIds } }, select: { id: true, name: true, resourceId: true } });
  const missing = scopeIds.find((id) => !found.some((s) => s.id === id));
  if (missing) throw notFound('scope', missing);
  if (roleType === 'User' && found.some((s) => s.resourceId === MANAGEMENT_RESOURCE_ID && s.name === 'all')) {
    throw new DomainError('invalid_input', 'role.management_api_scopes_not_assignable_to_user_role', 'The Management API scope `all` cannot be given to a User role.', 'scopeIds');
  }
}

export async function createRole(actor: Actor, input: RoleCreate, options: { id?: string } = {}): Promise<RoleResponse> {
  return configChange(async (tx) => {
    if (await tx.role.findUnique({ where: { name: input.name } })) throw conflict('role', 'name', input.name);
    const scopeIds = [...new Set(input.scopeIds ?? [])];
    if (scopeIds.length) await requireScopes(tx, scopeIds, input.type ?? 'User');
    const row = await tx.role.create({
      data: { id: options.id ?? randomId(), name: input.name, description: input.description, type: input.type ?? 'User', isDefault: input.isDefault ?? false },
    });
    if (scopeIds.length) await tx.roleScope.createMany({ data: scopeIds.map((scopeId) => ({ roleId: row.id, scopeId })) });
    await assertWithinCaller(tx, actor, [{ type: 'role', id: row.id }]);
    const response = toRoleResponse(row);
    // Webhook data is the response, exactly as Logto's; the audit record also keeps the scope ids.
    await emitDataEvent(tx, actor, { event: 'Role.Created', entity: 'Role', entityId: row.id, after: { ...response, scopeIds }, data: response });
    if (scopeIds.length) {
      // Logto also reports the initial scopes as `Role.Scopes.Updated` (data: the scopes, as POST /roles/:id/scopes).
      const scopes = await tx.scope.findMany({ where: { id: { in: scopeIds } } });
      await emitDataEvent(tx, actor, {
        event: 'Role.Scopes.Updated', entity: 'Role', entityId: row.id, after: { added: scopeIds },
        data: scopes.map(toScopeResponse), hookFields: { roleId: row.id },
      });
    }
    return response;
  });
}

export async function listRoles(query: { search?: string; type?: string; excludeUserId?: string; excludeApplicationId?: string }, page: Pagination) {
  const term = contains(query.search);
  const where = {
    ...(query.type ? { type: query.type } : {}),
    ...(term ? { OR: [{ name: term }, { description: term }] } : {}),
    // Logto's filters for "roles this principal could still be given".
    ...(query.excludeUserId ? { users: { none: { userId: query.excludeUserId } } } : {}),
    ...(query.excludeApplicationId ? { applications: { none: { applicationId: query.excludeApplicationId } } } : {}),
  };
  const [total, rows] = await Promise.all([
    db().role.count({ where }),
    db().role.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { _count: { select: { users: true, applications: true } } },
      ...skipTake(page),
    }),
  ]);
  return {
    total,
    items: rows.map((r) => ({ ...toRoleResponse(r), usersCount: r._count.users, applicationsCount: r._count.applications })),
  };
}

export async function getRole(id: string): Promise<RoleResponse> {
  return toRoleResponse(await requireRole(db() as unknown as Tx, id));
}

export async function updateRole(actor: Actor, id: string, patch: RolePatch): Promise<RoleResponse> {
  return configChange(async (tx) => {
    const before = await requireRole(tx, id);
    if (patch.name && patch.name !== before.name && (await tx.role.findUnique({ where: { name: patch.name } }))) {
      throw conflict('role', 'name', patch.name);
    }
    const row = await tx.role.update({ where: { id }, data: patch });
    // A default role is one every new user gets.
    if (patch.isDefault) await assertWithinCaller(tx, actor, [{ type: 'role', id }]);
    const after = toRoleResponse(row);
    await emitDataEvent(tx, actor, { event: 'Role.Data.Updated', entity: 'Role', entityId: id, before: toRoleResponse(before), after });
    return after;
  });
}

export async function deleteRole(actor: Actor, id: string): Promise<void> {
  await configChange(async (tx) => {
    const before = await requireRole(tx, id);
    guardBuiltIn(before, 'it cannot be deleted');
    await tx.role.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'Role.Deleted', entity: 'Role', entityId: id, before: toRoleResponse(before) });
  });
}

/** Logto's role scope list: scopes with their resource. */
export async function listRoleScopes(roleId: string, query: { search?: string }, page: Pagination): Promise<Page<ScopeResponse & { resource: ReturnType<typeof toResourceResponse> }>> {
  await requireRole(db() as unknown as Tx, roleId);
  const term = contains(query.search);
  const where = { roles: { some: { roleId } }, ...(term ? { OR: [{ name: term }, { description: term }] } : {}) };
  const [total, rows] = await Promise.all([
    db().scope.count({ where }),
    db().scope.findMany({ where, include: { resource: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows.map((s) => ({ ...toScopeResponse(s), resource: toResourceResponse(s.resource) })) };
}

export async function addRoleScopes(actor: Actor, roleId: string, scopeIds: string[]): Promise<ScopeResponse[]> {
  return configChange(async (tx) => {
    const role = await requireRole(tx, roleId);
    guardBuiltIn(role, 'its scopes are fixed');
    const ids = [...new Set(scopeIds)];
    await requireScopes(tx, ids, role.type);
    const existing = await tx.roleScope.findMany({ where: { roleId, scopeId: { in: ids } } });
    if (existing.length > 0) {
      throw unprocessable('role.scope_exists', `Scope \`${existing[0]!.scopeId}\` is already in this role.`, 'scopeIds');
    }
    await tx.roleScope.createMany({ data: ids.map((scopeId) => ({ roleId, scopeId })) });
    await assertWithinCaller(tx, actor, [{ type: 'role', id: roleId, withHolders: true }]);
    await emitDataEvent(tx, actor, { event: 'Role.Scopes.Updated', entity: 'Role', entityId: roleId, after: { added: ids } });
    const rows = await tx.scope.findMany({ where: { id: { in: ids } } });
    return rows.map(toScopeResponse);
  });
}

export async function removeRoleScope(actor: Actor, roleId: string, scopeId: string): Promise<void> {
  await configChange(async (tx) => {
    guardBuiltIn(await requireRole(tx, roleId), 'its scopes are fixed');
    const link = await tx.roleScope.findUnique({ where: { roleId_scopeId: { roleId, scopeId } } });
    if (!link) throw notFound('role scope', scopeId);
    await tx.roleScope.delete({ where: { roleId_scopeId: { roleId, scopeId } } });
    await emitDataEvent(tx, actor, { event: 'Role.Scopes.Updated', entity: 'Role', entityId: roleId, after: { removed: [scopeId] } });
  });
}

export async function listRoleApplications(roleId: string, page: Pagination, query: { search?: string } = {}) {
  await requireRole(db() as unknown as Tx, roleId);
  const term = contains(query.search);
  const where = { roles: { some: { roleId } }, ...(term ? { OR: [{ name: term }, { id: term }, { description: term }] } : {}) };
  const [total, rows] = await Promise.all([
    db().application.count({ where }),
    db().application.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows };
}

/** Logto's `POST /roles/:id/applications`: assign the role to applications (MachineToMachine roles only). */
export async function assignRoleApplications(actor: Actor, roleId: string, applicationIds: string[]): Promise<void> {
  await configChange(async (tx) => {
    const role = await requireRole(tx, roleId);
    if (role.type !== 'MachineToMachine') {
      throw unprocessable('application.role_type_mismatch', `Role \`${role.name}\` is a User role; applications take MachineToMachine roles.`, 'id');
    }
    const ids = [...new Set(applicationIds)];
    const found = await tx.application.findMany({ where: { id: { in: ids } }, select: { id: true } });
    const missing = ids.find((id) => !found.some((a) => a.id === id));
    if (missing) throw notFound('application', missing);
    const existing = await tx.applicationRole.findFirst({ where: { roleId, applicationId: { in: ids } } });
    if (existing) {
      throw unprocessable('role.application_exists', `Application \`${existing.applicationId}\` already has this role.`, 'applicationIds');
    }
    await tx.applicationRole.createMany({ data: ids.map((applicationId) => ({ applicationId, roleId })) });
    await assertWithinCaller(tx, actor, ids.map((id) => ({ type: 'application' as const, id })));
    for (const applicationId of ids) {
      await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, after: { roleIds: [roleId] }, applicationId });
    }
  });
}

export async function removeRoleApplication(actor: Actor, roleId: string, applicationId: string): Promise<void> {
  await configChange(async (tx) => {
    const link = await tx.applicationRole.findUnique({ where: { applicationId_roleId: { applicationId, roleId } } });
    if (!link) throw notFound('application role', applicationId);
    await tx.applicationRole.delete({ where: { applicationId_roleId: { applicationId, roleId } } });
    await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, before: { roleId }, applicationId });
  });
}

// ---- Users of a role (user data, not cached configuration: dataChange) -------------------------------

/** Logto's `GET /roles/:id/users`, with its `search` over the users' identifiers. */
export async function listRoleUsers(roleId: string, page: Pagination, query: { search?: string } = {}): Promise<Page<UserResponse>> {
  await requireRole(db() as unknown as Tx, roleId);
  const { total, ids } = await findUserPage({ search: query.search, roleId }, page);
  return { total, items: (await usersInOrder(ids)).map(toUserResponse) };
}

/** Logto's `POST /roles/:id/users`: 422 `role.user_exists` when a user already has the role. */
export async function assignRoleUsers(actor: Actor, roleId: string, userIds: string[]): Promise<void> {
  await dataChange(async (tx) => {
    const role = await requireRole(tx, roleId);
    if (role.type !== 'User') {
      // Logto's code: its database refuses a user in a MachineToMachine role.
      throw unprocessable('entity.db_constraint_violated', `Role \`${role.name}\` is a ${role.type} role; users take User roles.`, 'id');
    }
    const ids = [...new Set(userIds)];
    const found = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true } });
    const missing = ids.find((id) => !found.some((u) => u.id === id));
    if (missing) throw notFound('user', missing);
    const existing = await tx.userRole.findFirst({ where: { roleId, userId: { in: ids } } });
    if (existing) throw unprocessable('role.user_exists', `User \`${existing.userId}\` already has this role.`, 'userIds');
    const before = new Map<string, string[]>();
    for (const userId of ids) before.set(userId, await roleIdsOf(tx, userId));
    await tx.userRole.createMany({ data: ids.map((userId) => ({ userId, roleId })) });
    await assertWithinCaller(tx, actor, ids.map((id) => ({ type: 'user' as const, id })));
    for (const userId of ids) await emitRolesUpdated(tx, actor, userId, before.get(userId)!);
  });
}

export async function removeRoleUser(actor: Actor, roleId: string, userId: string): Promise<void> {
  await dataChange(async (tx) => {
    const link = await tx.userRole.findUnique({ where: { userId_roleId: { userId, roleId } } });
    if (!link) throw notFound('user role', userId);
    const before = await roleIdsOf(tx, userId);
    await tx.userRole.delete({ where: { userId_roleId: { userId, roleId } } });
    await emitRolesUpdated(tx, actor, userId, before);
  });
}
