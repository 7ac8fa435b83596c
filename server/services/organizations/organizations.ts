// Organizations: create, list (Logto's `q` search and `showFeatured`), read, update and delete. Deleting
// one removes its memberships, member roles, invitations and JIT settings in the same transaction (cascades),
// so no token can be issued for it afterwards.
import { db, type Tx } from '../../db/index.ts';
import type { OrganizationCreate, OrganizationPatch, OrganizationResponse } from '../../schemas/organizations.ts';
import type { Pagination } from '../../schemas/common.ts';
import type { Actor } from '../actor.ts';
import { randomId } from '../crypto.ts';
import { emitDataEvent } from '../events/index.ts';
import { contains, skipTake } from '../pages.ts';
import { dataChange } from '../transaction.ts';
import { requireOrganization } from './common.ts';

type OrganizationRow = Awaited<ReturnType<Tx['organization']['findUniqueOrThrow']>>;

export function toOrganizationResponse(r: OrganizationRow): OrganizationResponse {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    customData: (r.customData ?? {}) as Record<string, unknown>,
    isMfaRequired: r.isMfaRequired,
    color: (r.color ?? {}) as OrganizationResponse['color'],
    branding: (r.branding ?? {}) as OrganizationResponse['branding'],
    customCss: r.customCss,
    createdAt: r.createdAt.getTime(),
  };
}

export async function createOrganization(actor: Actor, input: OrganizationCreate): Promise<OrganizationResponse> {
  return dataChange(async (tx) => {
    const row = await tx.organization.create({
      data: {
        id: randomId(12),
        name: input.name,
        description: input.description ?? null,
        customData: (input.customData ?? {}) as object,
        isMfaRequired: input.isMfaRequired ?? false,
        color: input.color ?? {},
        branding: input.branding ?? {},
        customCss: input.customCss ?? null,
      },
    });
    const response = toOrganizationResponse(row);
    await emitDataEvent(tx, actor, { event: 'Organization.Created', entity: 'Organization', entityId: row.id, after: response });
    return response;
  });
}

export async function listOrganizations(query: { q?: string; showFeatured?: string }, page: Pagination) {
  const term = contains(query.q?.replace(/^%+|%+$/g, ''));
  const where = term ? { OR: [{ id: term }, { name: term }] } : {};
  const [total, rows] = await Promise.all([
    db().organization.count({ where }),
    db().organization.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  const featured = ['1', 'true', 'yes', 'y'].includes(query.showFeatured?.toLowerCase() ?? '');
  if (!featured) return { total, items: rows.map(toOrganizationResponse) };
  const items = await Promise.all(
    rows.map(async (r) => {
      const [usersCount, members] = await Promise.all([
        db().organizationUser.count({ where: { organizationId: r.id } }),
        db().organizationUser.findMany({
          where: { organizationId: r.id },
          orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
          take: 3,
          include: { user: { select: { id: true, avatar: true, name: true } } },
        }),
      ]);
      return { ...toOrganizationResponse(r), usersCount, featuredUsers: members.map((m) => m.user) };
    }),
  );
  return { total, items };
}

export async function getOrganization(id: string): Promise<OrganizationResponse> {
  return toOrganizationResponse(await requireOrganization(db() as unknown as Tx, id));
}

export async function updateOrganization(actor: Actor, id: string, patch: OrganizationPatch): Promise<OrganizationResponse> {
  return dataChange(async (tx) => {
    const before = toOrganizationResponse(await requireOrganization(tx, id));
    const data = { ...patch, ...(patch.customData ? { customData: patch.customData as object } : {}) };
    const after = toOrganizationResponse(await tx.organization.update({ where: { id }, data }));
    await emitDataEvent(tx, actor, { event: 'Organization.Data.Updated', entity: 'Organization', entityId: id, before, after });
    return after;
  });
}

export async function deleteOrganization(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const before = toOrganizationResponse(await requireOrganization(tx, id));
    await tx.organization.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'Organization.Deleted', entity: 'Organization', entityId: id, before });
  });
}
