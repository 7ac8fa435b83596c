// Organization roles: the roles of the organization template, carrying organization scopes and API
// resource scopes. Resource scopes of the Management API are refused: an organization role reaches users
// and apps through memberships, outside the privilege rule's view of who holds Management API scopes.
import { db, type Tx } from '../../db/index.ts';
import type { Pagination } from '../../schemas/common.ts';
import type { OrganizationRoleCreate, OrganizationRolePatch, OrganizationRoleResponse } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { randomId } from '../crypto.ts';
import { notFound, unprocessable } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { MANAGEMENT_RESOURCE_ID } from '../management-resource.ts';
import { contains, skipTake } from '../pages.ts';
import { dataChange } from '../transaction.ts';
import { dedupe, duplicateName, firstMissing, missingRelation } from './common.ts';

type RoleRow = { id: string; name: string; description: string | null; type: string };

export const toOrganizationRoleResponse = (r: RoleRow): OrganizationRoleResponse =>
  ({ id: r.id, name: r.name, description: r.description, type: r.type as OrganizationRoleResponse['type'] });

export async function requireOrganizationRole(tx: Tx, id: string) {
  const row = await tx.organizationRole.findUnique({ where: { id } });
  if (!row) throw notFound('organization role', id);
  return row;
}

/** Checks organization scope ids exist (422 naming the first missing one). */
export async function requireOrganizationScopes(tx: Tx, ids: string[], field: string): Promise<void> {
  const found = await tx.organizationScope.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const missing = firstMissing(ids, found);
  if (missing) throw missingRelation('organization scope', missing, field);
}

/** Checks resource scope ids exist and none is a Management API scope. */
export async function requireResourceScopes(tx: Tx, ids: string[], field: string): Promise<void> {
  const found = await tx.scope.findMany({ where: { id: { in: ids } }, select: { id: true, resourceId: true } });
  const missing = firstMissing(ids, found);
  if (missing) throw missingRelation('scope', missing, field);
  const management = found.find((s) => s.resourceId === MANAGEMENT_RESOURCE_ID);
  if (management) {
    throw unprocessable('organization.management_api_scope_not_allowed', `Scope \`${management.id}\` belongs to the Management API, which organization roles cannot carry.`, field);
  }
}

export async function createOrganizationRole(actor: Actor, input: OrganizationRoleCreate): Promise<OrganizationRoleResponse> {
  return dataChange(async (tx) => {
    if (await tx.organizationRole.findUnique({ where: { name: input.name } })) throw duplicateName('organization role', input.name);
    const scopeIds = dedupe(input.organizationScopeIds ?? []);
    const resourceScopeIds = dedupe(input.resourceScopeIds ?? []);
    await requireOrganizationScopes(tx, scopeIds, 'organizationScopeIds');
    await requireResourceScopes(tx, resourceScopeIds, 'resourceScopeIds');
    const row = await tx.organizationRole.create({
      data: { id: randomId(), name: input.name, description: input.description ?? null, type: input.type ?? 'User' },
    });
    if (scopeIds.length) await tx.organizationRoleScope.createMany({ data: scopeIds.map((scopeId) => ({ roleId: row.id, scopeId })) });
    if (resourceScopeIds.length) await tx.organizationRoleResourceScope.createMany({ data: resourceScopeIds.map((scopeId) => ({ roleId: row.id, scopeId })) });
    const response = toOrganizationRoleResponse(row);
    await emitDataEvent(tx, actor, {
      event: 'OrganizationRole.Created', entity: 'OrganizationRole', entityId: row.id, after: { ...response, organizationScopeIds: scopeIds, resourceScopeIds }, data: response,
    });
    // Logto also announces the scopes a role is created with, as a scope change of the new role.
    if (scopeIds.length || resourceScopeIds.length) {
      await emitDataEvent(tx, actor, {
        event: 'OrganizationRole.Scopes.Updated', entity: 'OrganizationRole', entityId: row.id,
        after: { organizationScopeIds: scopeIds, resourceScopeIds }, fields: { organizationRoleId: row.id },
      });
    }
    return response;
  });
}

/** Logto's role list: each role with its organization scopes and resource scopes (with their resource). */
export async function listOrganizationRoles(query: { q?: string }, page: Pagination) {
  const term = contains(query.q?.replace(/^%+|%+$/g, ''));
  const where = term ? { OR: [{ id: term }, { name: term }, { description: term }] } : {};
  const [total, rows] = await Promise.all([
    db().organizationRole.count({ where }),
    db().organizationRole.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      include: {
        scopes: { include: { scope: { select: { id: true, name: true } } } },
        resourceScopes: { include: { scope: { select: { id: true, name: true, resource: { select: { id: true, name: true } } } } } },
      },
      ...skipTake(page),
    }),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      ...toOrganizationRoleResponse(r),
      scopes: r.scopes.map((s) => s.scope).sort((a, b) => a.name.localeCompare(b.name)),
      resourceScopes: r.resourceScopes.map((s) => s.scope).sort((a, b) => a.name.localeCompare(b.name)),
    })),
  };
}

export async function getOrganizationRole(id: string): Promise<OrganizationRoleResponse> {
  return toOrganizationRoleResponse(await requireOrganizationRole(db() as unknown as Tx, id));
}

export async function updateOrganizationRole(actor: Actor, id: string, patch: OrganizationRolePatch): Promise<OrganizationRoleResponse> {
  return dataChange(async (tx) => {
    const before = toOrganizationRoleResponse(await requireOrganizationRole(tx, id));
    if (patch.name && patch.name !== before.name && (await tx.organizationRole.findUnique({ where: { name: patch.name } }))) {
      throw duplicateName('organization role', patch.name);
    }
    // A role held by members keeps its type: a User role on an app (or the reverse) would break the membership rule.
    if (patch.type && patch.type !== before.type) {
      const held = (await tx.organizationUserRole.count({ where: { roleId: id } })) + (await tx.organizationApplicationRole.count({ where: { roleId: id } }));
      if (held > 0) throw unprocessable('organization.role_type_in_use', 'The type of a role that members hold cannot change.', 'type');
    }
    const after = toOrganizationRoleResponse(await tx.organizationRole.update({ where: { id }, data: patch }));
    await emitDataEvent(tx, actor, { event: 'OrganizationRole.Data.Updated', entity: 'OrganizationRole', entityId: id, before, after });
    return after;
  });
}

export async function deleteOrganizationRole(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const before = toOrganizationRoleResponse(await requireOrganizationRole(tx, id));
    await tx.organizationRole.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'OrganizationRole.Deleted', entity: 'OrganizationRole', entityId: id, before });
  });
}
