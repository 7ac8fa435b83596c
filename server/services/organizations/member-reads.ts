// Reads of memberships: an organization's users and applications with their organization roles, a
// member's roles and scopes there, and the organizations of a user or an application.
import { db, type Tx } from '../../db/index.ts';
import type { Pagination } from '../../schemas/common.ts';
import type { OptionalPagination } from '../../schemas/organizations.ts';
import { toApplicationResponse } from '../applications.ts';
import { notFound } from '../errors.ts';
import { contains, skipTake } from '../pages.ts';
import { toUserResponse } from '../users/response.ts';
import { optionalSkipTake, requireOrganization } from './common.ts';
import type { MemberKind } from './members.ts';
import { assertMember } from './members.ts';
import { toOrganizationResponse } from './organizations.ts';
import { toOrganizationRoleResponse } from './roles.ts';
import { toOrganizationScopeResponse } from './scopes.ts';

const read = () => db() as unknown as Tx;
type RoleRef = { id: string; name: string };
const byName = (a: RoleRef, b: RoleRef) => a.name.localeCompare(b.name);
const roleRef = (r: { role: RoleRef }) => ({ id: r.role.id, name: r.role.name });
const trimQ = (q?: string) => q?.replace(/^%+|%+$/g, '');

export async function listOrganizationUsers(organizationId: string, query: { q?: string; organizationRoleId?: string }, page: Pagination) {
  await requireOrganization(read(), organizationId);
  const t = contains(trimQ(query.q));
  const where = {
    organizationId,
    ...(query.organizationRoleId ? { roles: { some: { roleId: query.organizationRoleId } } } : {}),
    ...(t ? { user: { OR: [{ id: t }, { username: t }, { primaryEmail: t }, { primaryPhone: t }, { name: t }] } } : {}),
  };
  const [total, rows] = await Promise.all([
    db().organizationUser.count({ where }),
    db().organizationUser.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
      include: { user: true, roles: { include: { role: { select: { id: true, name: true } } } } },
      ...skipTake(page),
    }),
  ]);
  return { total, items: rows.map((m) => ({ ...toUserResponse(m.user), organizationRoles: m.roles.map(roleRef).sort(byName) })) };
}

export async function listOrganizationApplications(organizationId: string, query: { q?: string }, page: Pagination) {
  await requireOrganization(read(), organizationId);
  const t = contains(trimQ(query.q));
  const where = { organizationId, ...(t ? { application: { OR: [{ id: t }, { name: t }, { description: t }] } } : {}) };
  const [total, rows] = await Promise.all([
    db().organizationApplication.count({ where }),
    db().organizationApplication.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { applicationId: 'asc' }],
      include: { application: true, roles: { include: { role: { select: { id: true, name: true } } } } },
      ...skipTake(page),
    }),
  ]);
  return { total, items: rows.map((m) => ({ ...toApplicationResponse(m.application), organizationRoles: m.roles.map(roleRef).sort(byName) })) };
}

export async function listMemberRoles(kind: MemberKind, organizationId: string, memberId: string, page: OptionalPagination) {
  await assertMember(kind, organizationId, memberId);
  const where = kind === 'user'
    ? { userRoles: { some: { organizationId, userId: memberId } } }
    : { applicationRoles: { some: { organizationId, applicationId: memberId } } };
  const [total, rows] = await Promise.all([
    db().organizationRole.count({ where }),
    db().organizationRole.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], ...optionalSkipTake(page) }),
  ]);
  return { total, items: rows.map(toOrganizationRoleResponse) };
}

/** The organization scopes a member holds through its roles there. */
export async function memberScopes(kind: MemberKind, organizationId: string, memberId: string) {
  await assertMember(kind, organizationId, memberId);
  const roleFilter = kind === 'user'
    ? { userRoles: { some: { organizationId, userId: memberId } } }
    : { applicationRoles: { some: { organizationId, applicationId: memberId } } };
  const rows = await db().organizationScope.findMany({ where: { roles: { some: { role: roleFilter } } }, orderBy: [{ name: 'asc' }] });
  return rows.map(toOrganizationScopeResponse);
}

/** Logto's `GET /users/:id/organizations` and `GET /applications/:id/organizations`: organizations with the member's roles. */
export async function organizationsOf(kind: MemberKind, memberId: string, page?: Pagination) {
  if (kind === 'user') {
    if (!(await db().user.findUnique({ where: { id: memberId }, select: { id: true } }))) throw notFound('user', memberId);
    const rows = await db().organizationUser.findMany({
      where: { userId: memberId },
      orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
      include: { organization: true, roles: { include: { role: { select: { id: true, name: true } } } } },
    });
    return { total: rows.length, items: rows.map((m) => ({ ...toOrganizationResponse(m.organization), organizationRoles: m.roles.map(roleRef).sort(byName) })) };
  }
  if (!(await db().application.findUnique({ where: { id: memberId }, select: { id: true } }))) throw notFound('application', memberId);
  const where = { applicationId: memberId };
  const [total, rows] = await Promise.all([
    db().organizationApplication.count({ where }),
    db().organizationApplication.findMany({
      where,
      orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
      include: { organization: true, roles: { include: { role: { select: { id: true, name: true } } } } },
      ...(page ? skipTake(page) : {}),
    }),
  ]);
  return { total, items: rows.map((m) => ({ ...toOrganizationResponse(m.organization), organizationRoles: m.roles.map(roleRef).sort(byName) })) };
}
