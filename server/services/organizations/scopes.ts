// Organization scopes: the permissions of the organization template, unique by name.
import { db, type Tx } from '../../db/index.ts';
import type { OptionalPagination, OrganizationScopeCreate, OrganizationScopePatch, OrganizationScopeResponse } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { randomId } from '../crypto.ts';
import { notFound } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { contains } from '../pages.ts';
import { dataChange } from '../transaction.ts';
import { duplicateName, optionalSkipTake } from './common.ts';

type ScopeRow = { id: string; name: string; description: string | null };

export const toOrganizationScopeResponse = (r: ScopeRow): OrganizationScopeResponse => ({ id: r.id, name: r.name, description: r.description });

async function requireScope(tx: Tx, id: string) {
  const row = await tx.organizationScope.findUnique({ where: { id } });
  if (!row) throw notFound('organization scope', id);
  return row;
}

export async function createOrganizationScope(actor: Actor, input: OrganizationScopeCreate): Promise<OrganizationScopeResponse> {
  return dataChange(async (tx) => {
    if (await tx.organizationScope.findUnique({ where: { name: input.name } })) throw duplicateName('organization scope', input.name);
    const row = await tx.organizationScope.create({ data: { id: randomId(), name: input.name, description: input.description ?? null } });
    const response = toOrganizationScopeResponse(row);
    await emitDataEvent(tx, actor, { event: 'OrganizationScope.Created', entity: 'OrganizationScope', entityId: row.id, after: response });
    return response;
  });
}

export async function listOrganizationScopes(query: { q?: string }, page: OptionalPagination) {
  const term = contains(query.q?.replace(/^%+|%+$/g, ''));
  const where = term ? { OR: [{ name: term }, { description: term }] } : {};
  const [total, rows] = await Promise.all([
    db().organizationScope.count({ where }),
    db().organizationScope.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...optionalSkipTake(page) }),
  ]);
  return { total, items: rows.map(toOrganizationScopeResponse) };
}

export async function getOrganizationScope(id: string): Promise<OrganizationScopeResponse> {
  return toOrganizationScopeResponse(await requireScope(db() as unknown as Tx, id));
}

export async function updateOrganizationScope(actor: Actor, id: string, patch: OrganizationScopePatch): Promise<OrganizationScopeResponse> {
  return dataChange(async (tx) => {
    const before = toOrganizationScopeResponse(await requireScope(tx, id));
    if (patch.name && patch.name !== before.name && (await tx.organizationScope.findUnique({ where: { name: patch.name } }))) {
      throw duplicateName('organization scope', patch.name);
    }
    const after = toOrganizationScopeResponse(await tx.organizationScope.update({ where: { id }, data: patch }));
    await emitDataEvent(tx, actor, { event: 'OrganizationScope.Data.Updated', entity: 'OrganizationScope', entityId: id, before, after });
    return after;
  });
}

export async function deleteOrganizationScope(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const before = toOrganizationScopeResponse(await requireScope(tx, id));
    await tx.organizationScope.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'OrganizationScope.Deleted', entity: 'OrganizationScope', entityId: id, before });
  });
}
