// Just-in-time provisioning settings of an organization: the email domains whose users join it, and the
// organization roles they get. (Applying them when a user signs up is the sign-in flow's part.)
import { db, type Tx } from '../../db/index.ts';
import type { OptionalPagination } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { DomainError } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { dataChange } from '../transaction.ts';
import { dedupe, firstMissing, missingLink, missingRelation, optionalSkipTake, requireOrganization } from './common.ts';
import { toOrganizationRoleResponse } from './roles.ts';

const read = () => db() as unknown as Tx;

async function emitJit(tx: Tx, actor: Actor, organizationId: string, change: Record<string, unknown>) {
  await emitDataEvent(tx, actor, { event: 'Organization.Data.Updated', entity: 'Organization', entityId: organizationId, after: { jit: change }, data: { organizationId, jit: change } });
}

export async function listEmailDomains(organizationId: string, page: OptionalPagination) {
  await requireOrganization(read(), organizationId);
  const where = { organizationId };
  const [total, rows] = await Promise.all([
    db().organizationJitEmailDomain.count({ where }),
    db().organizationJitEmailDomain.findMany({ where, orderBy: [{ emailDomain: 'asc' }], ...optionalSkipTake(page) }),
  ]);
  return { total, items: rows.map((r) => ({ organizationId: r.organizationId, emailDomain: r.emailDomain })) };
}

export async function addEmailDomain(actor: Actor, organizationId: string, emailDomain: string) {
  return dataChange(async (tx) => {
    await requireOrganization(tx, organizationId);
    if (await tx.organizationJitEmailDomain.findUnique({ where: { organizationId_emailDomain: { organizationId, emailDomain } } })) {
      throw new DomainError('conflict', 'entity.unique_integrity_violation', `The email domain \`${emailDomain}\` is already set.`, 'emailDomain');
    }
    await tx.organizationJitEmailDomain.create({ data: { organizationId, emailDomain } });
    await emitJit(tx, actor, organizationId, { addedEmailDomains: [emailDomain] });
    return { organizationId, emailDomain };
  });
}

export async function replaceEmailDomains(actor: Actor, organizationId: string, emailDomains: string[]) {
  await dataChange(async (tx) => {
    await requireOrganization(tx, organizationId);
    const domains = dedupe(emailDomains);
    await tx.organizationJitEmailDomain.deleteMany({ where: { organizationId } });
    if (domains.length) await tx.organizationJitEmailDomain.createMany({ data: domains.map((emailDomain) => ({ organizationId, emailDomain })) });
    await emitJit(tx, actor, organizationId, { emailDomains: domains });
  });
}

export async function removeEmailDomain(actor: Actor, organizationId: string, emailDomain: string) {
  await dataChange(async (tx) => {
    const removed = await tx.organizationJitEmailDomain.deleteMany({ where: { organizationId, emailDomain: emailDomain.toLowerCase() } });
    if (removed.count === 0) throw missingLink('organization email domain', emailDomain);
    await emitJit(tx, actor, organizationId, { removedEmailDomains: [emailDomain] });
  });
}

export async function listJitRoles(organizationId: string, page: OptionalPagination) {
  await requireOrganization(read(), organizationId);
  const where = { jitRoles: { some: { organizationId } } };
  const [total, rows] = await Promise.all([
    db().organizationRole.count({ where }),
    db().organizationRole.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], ...optionalSkipTake(page) }),
  ]);
  return { total, items: rows.map(toOrganizationRoleResponse) };
}

async function requireJitRoles(tx: Tx, organizationId: string, ids: string[]) {
  if (!(await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } }))) throw missingRelation('organization', organizationId, 'id');
  const found = await tx.organizationRole.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const missing = firstMissing(ids, found);
  if (missing) throw missingRelation('organization role', missing, 'organizationRoleIds');
}

export async function addJitRoles(actor: Actor, organizationId: string, roleIds: string[]) {
  await dataChange(async (tx) => {
    const ids = dedupe(roleIds);
    await requireJitRoles(tx, organizationId, ids);
    const have = new Set((await tx.organizationJitRole.findMany({ where: { organizationId }, select: { roleId: true } })).map((r) => r.roleId));
    const added = ids.filter((id) => !have.has(id));
    if (added.length) await tx.organizationJitRole.createMany({ data: added.map((roleId) => ({ organizationId, roleId })) });
    if (added.length) await emitJit(tx, actor, organizationId, { addedOrganizationRoleIds: added });
  });
}

export async function replaceJitRoles(actor: Actor, organizationId: string, roleIds: string[]) {
  await dataChange(async (tx) => {
    const ids = dedupe(roleIds);
    await requireJitRoles(tx, organizationId, ids);
    await tx.organizationJitRole.deleteMany({ where: { organizationId } });
    if (ids.length) await tx.organizationJitRole.createMany({ data: ids.map((roleId) => ({ organizationId, roleId })) });
    await emitJit(tx, actor, organizationId, { organizationRoleIds: ids });
  });
}

export async function removeJitRole(actor: Actor, organizationId: string, roleId: string) {
  await dataChange(async (tx) => {
    const removed = await tx.organizationJitRole.deleteMany({ where: { organizationId, roleId } });
    if (removed.count === 0) throw missingLink('organization JIT role', roleId);
    await emitJit(tx, actor, organizationId, { removedOrganizationRoleIds: [roleId] });
  });
}

/**
 * Just-in-time provisioning at sign-up (Logto's): a new user whose email domain an organization lists
 * joins it, with that organization's JIT roles. Runs inside the registration's transaction; each joined
 * organization gets `Organization.Membership.Updated` with `addedUserIds`.
 */
export async function provisionByEmailDomain(tx: Tx, actor: Actor, userId: string, email: string | null | undefined): Promise<string[]> {
  const domain = email?.split('@')[1]?.trim().toLowerCase();
  if (!domain) return [];
  const matches = await tx.organizationJitEmailDomain.findMany({ where: { emailDomain: domain }, select: { organizationId: true } });
  const joined: string[] = [];
  for (const { organizationId } of matches) {
    if (await tx.organizationUser.findUnique({ where: { organizationId_userId: { organizationId, userId } } })) continue;
    await tx.organizationUser.create({ data: { organizationId, userId } });
    const roles = await tx.organizationJitRole.findMany({ where: { organizationId, role: { type: 'User' } }, select: { roleId: true } });
    if (roles.length) await tx.organizationUserRole.createMany({ data: roles.map(({ roleId }) => ({ organizationId, userId, roleId })) });
    const fields = { organizationId, addedUserIds: [userId] };
    await emitDataEvent(tx, actor, { event: 'Organization.Membership.Updated', entity: 'Organization', entityId: organizationId, after: { ...fields, jit: true, organizationRoleIds: roles.map((r) => r.roleId) }, fields, userId });
    joined.push(organizationId);
  }
  return joined;
}
