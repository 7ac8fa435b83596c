// The scope sets of an organization role: organization scopes (`/scopes`) and API resource scopes
// (`/resource-scopes`), each with Logto's relation routes: list, add (existing links kept), replace, remove.
import { db, type Tx } from '../../db/index.ts';
import type { OptionalPagination } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { emitDataEvent } from '../events/index.ts';
import { contains } from '../pages.ts';
import { toScopeResponse } from '../resources.ts';
import { dataChange } from '../transaction.ts';
import { dedupe, missingLink, optionalSkipTake } from './common.ts';
import { requireOrganizationRole, requireOrganizationScopes, requireResourceScopes } from './roles.ts';
import { toOrganizationScopeResponse } from './scopes.ts';

export type ScopeKind = 'organization' | 'resource';

const term = (q?: string) => contains(q?.replace(/^%+|%+$/g, ''));

export async function listRoleScopes(kind: ScopeKind, roleId: string, query: { q?: string }, page: OptionalPagination) {
  await requireOrganizationRole(db() as unknown as Tx, roleId);
  const t = term(query.q);
  const search = t ? { OR: [{ name: t }, { description: t }] } : {};
  const order = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
  if (kind === 'organization') {
    const where = { roles: { some: { roleId } }, ...search };
    const [total, rows] = await Promise.all([
      db().organizationScope.count({ where }),
      db().organizationScope.findMany({ where, orderBy: order, ...optionalSkipTake(page) }),
    ]);
    return { total, items: rows.map(toOrganizationScopeResponse) };
  }
  const where = { organizationRoles: { some: { roleId } }, ...search };
  const [total, rows] = await Promise.all([
    db().scope.count({ where }),
    db().scope.findMany({ where, orderBy: order, ...optionalSkipTake(page) }),
  ]);
  return { total, items: rows.map(toScopeResponse) };
}

async function links(tx: Tx, kind: ScopeKind, roleId: string): Promise<string[]> {
  const rows = kind === 'organization'
    ? await tx.organizationRoleScope.findMany({ where: { roleId }, select: { scopeId: true } })
    : await tx.organizationRoleResourceScope.findMany({ where: { roleId }, select: { scopeId: true } });
  return rows.map((r) => r.scopeId);
}

async function requireScopes(tx: Tx, kind: ScopeKind, ids: string[]) {
  if (kind === 'organization') await requireOrganizationScopes(tx, ids, 'organizationScopeIds');
  else await requireResourceScopes(tx, ids, 'scopeIds');
}

async function link(tx: Tx, kind: ScopeKind, roleId: string, ids: string[]) {
  if (!ids.length) return;
  const data = ids.map((scopeId) => ({ roleId, scopeId }));
  if (kind === 'organization') await tx.organizationRoleScope.createMany({ data });
  else await tx.organizationRoleResourceScope.createMany({ data });
}

async function unlink(tx: Tx, kind: ScopeKind, roleId: string, ids: string[]) {
  if (!ids.length) return;
  const where = { roleId, scopeId: { in: ids } };
  if (kind === 'organization') await tx.organizationRoleScope.deleteMany({ where });
  else await tx.organizationRoleResourceScope.deleteMany({ where });
}

async function emit(tx: Tx, actor: Actor, roleId: string, kind: ScopeKind, added: string[], removed: string[]) {
  if (!added.length && !removed.length) return;
  await emitDataEvent(tx, actor, {
    event: 'OrganizationRole.Scopes.Updated', entity: 'OrganizationRole', entityId: roleId,
    after: { kind, added, removed }, fields: { organizationRoleId: roleId },
  });
}

/** Adds scopes; ones the role already has are kept as they are (Logto's insert ignores conflicts). */
export async function addRoleScopes(actor: Actor, kind: ScopeKind, roleId: string, scopeIds: string[]): Promise<void> {
  await dataChange(async (tx) => {
    await requireOrganizationRole(tx, roleId);
    const ids = dedupe(scopeIds);
    await requireScopes(tx, kind, ids);
    const have = new Set(await links(tx, kind, roleId));
    const added = ids.filter((id) => !have.has(id));
    await link(tx, kind, roleId, added);
    await emit(tx, actor, roleId, kind, added, []);
  });
}

export async function replaceRoleScopes(actor: Actor, kind: ScopeKind, roleId: string, scopeIds: string[]): Promise<void> {
  await dataChange(async (tx) => {
    await requireOrganizationRole(tx, roleId);
    const ids = dedupe(scopeIds);
    await requireScopes(tx, kind, ids);
    const have = await links(tx, kind, roleId);
    const removed = have.filter((id) => !ids.includes(id));
    const added = ids.filter((id) => !have.includes(id));
    await unlink(tx, kind, roleId, removed);
    await link(tx, kind, roleId, added);
    await emit(tx, actor, roleId, kind, added, removed);
  });
}

export async function removeRoleScope(actor: Actor, kind: ScopeKind, roleId: string, scopeId: string): Promise<void> {
  await dataChange(async (tx) => {
    await requireOrganizationRole(tx, roleId);
    if (!(await links(tx, kind, roleId)).includes(scopeId)) throw missingLink(kind === 'organization' ? 'organization role scope' : 'organization role resource scope', scopeId);
    await unlink(tx, kind, roleId, [scopeId]);
    await emit(tx, actor, roleId, kind, [], [scopeId]);
  });
}
