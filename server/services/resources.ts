// API resources and their scopes.
import { db, type Tx } from '../db/index.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { ResourceCreate, ResourcePatch, ResourceResponse, ScopeCreate, ScopePatch, ScopeResponse } from '../schemas/resources.ts';
import type { Actor } from './actor.ts';
import { randomId } from './crypto.ts';
import { DomainError, notFound } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { likeSearch as contains, skipTake } from './pages.ts';
import { configChange } from './transaction.ts';

type ResourceRow = Awaited<ReturnType<Tx['resource']['findUniqueOrThrow']>>;
type ScopeRow = Awaited<ReturnType<Tx['scope']['findUniqueOrThrow']>>;

export function toScopeResponse(s: ScopeRow): ScopeResponse {
  return { tenantId: TENANT_ID, id: s.id, resourceId: s.resourceId, name: s.name, description: s.description, createdAt: s.createdAt.getTime() };
}

/** Logto's rows carry their tenant; Sigil is one tenant, named as Logto's OSS one. */
const TENANT_ID = 'default';

export function toResourceResponse(r: ResourceRow, scopes?: ScopeRow[]): ResourceResponse {
  return {
    tenantId: TENANT_ID,
    id: r.id,
    name: r.name,
    indicator: r.indicator,
    isDefault: r.isDefault,
    accessTokenTtl: r.accessTokenTtl,
    tokenFormat: r.tokenFormat as ResourceResponse['tokenFormat'],
    isBuiltIn: r.isBuiltIn,
    ...(scopes ? { scopes: scopes.map(toScopeResponse) } : {}),
    createdAt: r.createdAt.getTime(),
  };
}

async function requireResource(tx: Tx, id: string): Promise<ResourceRow> {
  const row = await tx.resource.findUnique({ where: { id } });
  if (!row) throw notFound('resource', id);
  return row;
}

/** Logto answers 400 for any change to the Management API resource or its scopes. */
function guardBuiltIn(row: ResourceRow): void {
  if (row.isBuiltIn) throw new DomainError('invalid_input', 'resource.cannot_modify_management_api', 'The built-in Management API resource cannot be changed.');
}

const indicatorInUse = (indicator: string) =>
  new DomainError('conflict', 'resource.resource_identifier_in_use', `The API identifier \`${indicator}\` is already in use.`, 'indicator');
const scopeNameInUse = (name: string) =>
  new DomainError('conflict', 'scope.name_exists', `A scope named \`${name}\` already exists on this resource.`, 'name');

export async function createResource(actor: Actor, input: ResourceCreate, options: { id?: string; isBuiltIn?: boolean } = {}): Promise<ResourceResponse> {
  return configChange(async (tx) => {
    if (await tx.resource.findUnique({ where: { indicator: input.indicator } })) {
      throw indicatorInUse(input.indicator);
    }
    if (input.isDefault) await tx.resource.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    const row = await tx.resource.create({
      data: {
        id: options.id ?? randomId(),
        name: input.name,
        indicator: input.indicator,
        accessTokenTtl: input.accessTokenTtl ?? 3600,
        tokenFormat: input.tokenFormat ?? 'jwt',
        isDefault: input.isDefault ?? false,
        isBuiltIn: options.isBuiltIn ?? false,
      },
    });
    const response = toResourceResponse(row);
    await emitDataEvent(tx, actor, { event: 'Resource.Created', entity: 'Resource', entityId: row.id, after: response });
    return response;
  });
}

export async function listResources(query: { search?: string; includeScopes?: boolean }, page: Pagination): Promise<Page<ResourceResponse>> {
  const term = contains(query.search);
  const where = term ? { OR: [{ name: term }, { indicator: term }] } : {};
  const [total, rows] = await Promise.all([
    db().resource.count({ where }),
    db().resource.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: { scopes: query.includeScopes ? { orderBy: { createdAt: 'asc' } } : false },
      ...skipTake(page),
    }),
  ]);
  return { total, items: rows.map((r) => toResourceResponse(r, query.includeScopes ? r.scopes : undefined)) };
}

export async function getResource(id: string): Promise<ResourceResponse> {
  const row = await db().resource.findUnique({ where: { id }, include: { scopes: { orderBy: { createdAt: 'asc' } } } });
  if (!row) throw notFound('resource', id);
  return toResourceResponse(row, row.scopes);
}

export async function updateResource(actor: Actor, id: string, patch: ResourcePatch): Promise<ResourceResponse> {
  return configChange(async (tx) => {
    const before = await requireResource(tx, id);
    guardBuiltIn(before);
    if (patch.isDefault) await tx.resource.updateMany({ where: { isDefault: true, NOT: { id } }, data: { isDefault: false } });
    const row = await tx.resource.update({ where: { id }, data: patch });
    const after = toResourceResponse(row);
    await emitDataEvent(tx, actor, { event: 'Resource.Data.Updated', entity: 'Resource', entityId: id, before: toResourceResponse(before), after });
    return after;
  });
}

/** Logto's PATCH /resources/:id/is-default: at most one default resource (the token endpoint's fallback). */
export async function setDefaultResource(actor: Actor, id: string, isDefault: boolean): Promise<ResourceResponse> {
  return configChange(async (tx) => {
    const before = await requireResource(tx, id);
    guardBuiltIn(before);
    if (isDefault) await tx.resource.updateMany({ where: { isDefault: true, NOT: { id } }, data: { isDefault: false } });
    const row = await tx.resource.update({ where: { id }, data: { isDefault } });
    const after = toResourceResponse(row);
    await emitDataEvent(tx, actor, { event: 'Resource.Data.Updated', entity: 'Resource', entityId: id, before: toResourceResponse(before), after });
    return after;
  });
}

export async function deleteResource(actor: Actor, id: string): Promise<void> {
  await configChange(async (tx) => {
    const before = await requireResource(tx, id);
    guardBuiltIn(before);
    await tx.resource.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'Resource.Deleted', entity: 'Resource', entityId: id, before: toResourceResponse(before) });
  });
}

// ---- Scopes ------------------------------------------------------------------------------------------

export async function listScopes(resourceId: string, query: { search?: string }, page: Pagination): Promise<Page<ScopeResponse>> {
  await requireResource(db() as unknown as Tx, resourceId);
  const term = contains(query.search);
  const where = { resourceId, ...(term ? { OR: [{ name: term }, { description: term }] } : {}) };
  const [total, rows] = await Promise.all([
    db().scope.count({ where }),
    db().scope.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows.map(toScopeResponse) };
}

export async function createScope(actor: Actor, resourceId: string, input: ScopeCreate, options: { allowBuiltIn?: boolean; id?: string } = {}): Promise<ScopeResponse> {
  return configChange(async (tx) => {
    const resource = await requireResource(tx, resourceId);
    if (!options.allowBuiltIn) guardBuiltIn(resource);
    if (await tx.scope.findUnique({ where: { resourceId_name: { resourceId, name: input.name } } })) {
      throw scopeNameInUse(input.name);
    }
    const row = await tx.scope.create({ data: { id: options.id ?? randomId(), resourceId, name: input.name, description: input.description ?? null } });
    const response = toScopeResponse(row);
    await emitDataEvent(tx, actor, { event: 'Scope.Created', entity: 'Scope', entityId: row.id, after: response });
    return response;
  });
}

export async function updateScope(actor: Actor, resourceId: string, scopeId: string, patch: ScopePatch): Promise<ScopeResponse> {
  return configChange(async (tx) => {
    guardBuiltIn(await requireResource(tx, resourceId));
    const before = await tx.scope.findFirst({ where: { id: scopeId, resourceId } });
    if (!before) throw notFound('scope', scopeId);
    if (patch.name && patch.name !== before.name && (await tx.scope.findUnique({ where: { resourceId_name: { resourceId, name: patch.name } } }))) {
      throw scopeNameInUse(patch.name);
    }
    const row = await tx.scope.update({ where: { id: scopeId }, data: patch });
    const after = toScopeResponse(row);
    await emitDataEvent(tx, actor, { event: 'Scope.Data.Updated', entity: 'Scope', entityId: scopeId, before: toScopeResponse(before), after });
    return after;
  });
}

export async function deleteScope(actor: Actor, resourceId: string, scopeId: string): Promise<void> {
  await configChange(async (tx) => {
    guardBuiltIn(await requireResource(tx, resourceId));
    const before = await tx.scope.findFirst({ where: { id: scopeId, resourceId } });
    if (!before) throw notFound('scope', scopeId);
    await tx.scope.delete({ where: { id: scopeId } });
    await emitDataEvent(tx, actor, { event: 'Scope.Deleted', entity: 'Scope', entityId: scopeId, before: toScopeResponse(before) });
  });
}
