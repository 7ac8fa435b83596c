// Memberships of an organization: users and (MachineToMachine) applications, and the organization roles
// each member holds there. Users take User roles, applications MachineToMachine roles (422 otherwise).
// Membership is user data rather than cached configuration, so changes are `dataChange`s; tokens read
// memberships at issuance, so a change shows in the next token.
import { db, type Tx } from '../../db/index.ts';
import type { MemberRolesBody } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { unprocessable } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { dataChange } from '../transaction.ts';
import { dedupe, firstMissing, missingLink, missingRelation, requireMembership, roleTypeMismatch } from './common.ts';

export type MemberKind = 'user' | 'application';

const ROLE_TYPE: Record<MemberKind, string> = { user: 'User', application: 'MachineToMachine' };
const FIELD: Record<MemberKind, string> = { user: 'userIds', application: 'applicationIds' };

/** Memberships of one kind, as `{ organizationId, memberId }` rows. */
async function memberIds(tx: Tx, kind: MemberKind, organizationId: string): Promise<string[]> {
  if (kind === 'user') return (await tx.organizationUser.findMany({ where: { organizationId }, select: { userId: true } })).map((r) => r.userId);
  return (await tx.organizationApplication.findMany({ where: { organizationId }, select: { applicationId: true } })).map((r) => r.applicationId);
}

async function isMember(tx: Tx, kind: MemberKind, organizationId: string, memberId: string): Promise<boolean> {
  if (kind === 'user') return (await tx.organizationUser.count({ where: { organizationId, userId: memberId } })) > 0;
  return (await tx.organizationApplication.count({ where: { organizationId, applicationId: memberId } })) > 0;
}

export async function assertMember(kind: MemberKind, organizationId: string, memberId: string, tx: Tx = db() as unknown as Tx): Promise<void> {
  if (!(await isMember(tx, kind, organizationId, memberId))) throw requireMembership();
}

/** The organization and every member must exist (Logto: 422 `entity.relation_foreign_key_not_found`); apps must be M2M. */
async function requireCandidates(tx: Tx, kind: MemberKind, organizationId: string, ids: string[]): Promise<void> {
  if (!(await tx.organization.findUnique({ where: { id: organizationId }, select: { id: true } }))) {
    throw missingRelation('organization', organizationId, 'id');
  }
  if (kind === 'user') {
    const found = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true } });
    const missing = firstMissing(ids, found);
    if (missing) throw missingRelation('user', missing, FIELD[kind]);
    return;
  }
  const found = await tx.application.findMany({ where: { id: { in: ids } }, select: { id: true, type: true } });
  const missing = firstMissing(ids, found);
  if (missing) throw missingRelation('application', missing, FIELD[kind]);
  const wrong = found.find((a) => a.type !== 'MachineToMachine');
  if (wrong) throw unprocessable('application.type_not_supported', `Application \`${wrong.id}\` is not a MachineToMachine application; only those can join organizations.`, FIELD[kind]);
}

async function emitMembership(tx: Tx, actor: Actor, kind: MemberKind, organizationId: string, added: string[], removed: string[]) {
  if (!added.length && !removed.length) return;
  const key = kind === 'user' ? 'User' : 'Application';
  const data = {
    organizationId,
    ...(added.length ? { [`added${key}Ids`]: added } : {}),
    ...(removed.length ? { [`removed${key}Ids`]: removed } : {}),
  };
  await emitDataEvent(tx, actor, { event: 'Organization.Membership.Updated', entity: 'Organization', entityId: organizationId, after: data, fields: data });
}

async function insertMembers(tx: Tx, kind: MemberKind, organizationId: string, ids: string[]) {
  if (!ids.length) return;
  if (kind === 'user') await tx.organizationUser.createMany({ data: ids.map((userId) => ({ organizationId, userId })) });
  else await tx.organizationApplication.createMany({ data: ids.map((applicationId) => ({ organizationId, applicationId })) });
}

async function deleteMembers(tx: Tx, kind: MemberKind, organizationId: string, ids: string[]) {
  if (!ids.length) return;
  if (kind === 'user') await tx.organizationUser.deleteMany({ where: { organizationId, userId: { in: ids } } });
  else await tx.organizationApplication.deleteMany({ where: { organizationId, applicationId: { in: ids } } });
}

/** Adds members; ones already in the organization stay as they are. */
export async function addMembers(actor: Actor, kind: MemberKind, organizationId: string, memberIdsIn: string[]): Promise<void> {
  await dataChange(async (tx) => {
    const ids = dedupe(memberIdsIn);
    await requireCandidates(tx, kind, organizationId, ids);
    const have = new Set(await memberIds(tx, kind, organizationId));
    const added = ids.filter((id) => !have.has(id));
    await insertMembers(tx, kind, organizationId, added);
    await emitMembership(tx, actor, kind, organizationId, added, []);
  });
}

/** Replaces the member set (removed members lose their organization roles with the membership). */
export async function replaceMembers(actor: Actor, kind: MemberKind, organizationId: string, memberIdsIn: string[]): Promise<void> {
  await dataChange(async (tx) => {
    const ids = dedupe(memberIdsIn);
    await requireCandidates(tx, kind, organizationId, ids);
    const have = await memberIds(tx, kind, organizationId);
    const removed = have.filter((id) => !ids.includes(id));
    const added = ids.filter((id) => !have.includes(id));
    await deleteMembers(tx, kind, organizationId, removed);
    await insertMembers(tx, kind, organizationId, added);
    await emitMembership(tx, actor, kind, organizationId, added, removed);
  });
}

export async function removeMember(actor: Actor, kind: MemberKind, organizationId: string, memberId: string): Promise<void> {
  await dataChange(async (tx) => {
    if (!(await isMember(tx, kind, organizationId, memberId))) throw missingLink(`organization ${kind}`, memberId);
    await deleteMembers(tx, kind, organizationId, [memberId]);
    await emitMembership(tx, actor, kind, organizationId, [], [memberId]);
  });
}

// ---- Member roles ---------------------------------------------------------------------------------------

/** Role ids from ids and names (Logto: 422 `organization.role_names_not_found` naming unknown names). */
async function resolveRoleIds(tx: Tx, kind: MemberKind, body: MemberRolesBody): Promise<string[]> {
  const names = dedupe(body.organizationRoleNames ?? []);
  const byName = names.length ? await tx.organizationRole.findMany({ where: { name: { in: names } }, select: { id: true, name: true } }) : [];
  const unknown = names.filter((n) => !byName.some((r) => r.name === n));
  if (unknown.length) {
    throw unprocessable('organization.role_names_not_found', `Organization roles not found: ${unknown.join(', ')}.`, 'organizationRoleNames');
  }
  const ids = dedupe([...(body.organizationRoleIds ?? []), ...byName.map((r) => r.id)]);
  await requireRoleTypes(tx, kind, ids);
  return ids;
}

async function requireRoleTypes(tx: Tx, kind: MemberKind, ids: string[]): Promise<void> {
  const roles = await tx.organizationRole.findMany({ where: { id: { in: ids } }, select: { id: true, type: true } });
  const missing = firstMissing(ids, roles);
  if (missing) throw missingRelation('organization role', missing, 'organizationRoleIds');
  const wrong = roles.find((r) => r.type !== ROLE_TYPE[kind]);
  if (wrong) throw roleTypeMismatch(wrong.id, ROLE_TYPE[kind], 'organizationRoleIds');
}

async function roleIdsOfMember(tx: Tx, kind: MemberKind, organizationId: string, memberId: string): Promise<string[]> {
  const rows = kind === 'user'
    ? await tx.organizationUserRole.findMany({ where: { organizationId, userId: memberId }, select: { roleId: true } })
    : await tx.organizationApplicationRole.findMany({ where: { organizationId, applicationId: memberId }, select: { roleId: true } });
  return rows.map((r) => r.roleId);
}

async function linkRoles(tx: Tx, kind: MemberKind, organizationId: string, memberId: string, roleIds: string[]) {
  if (!roleIds.length) return;
  if (kind === 'user') await tx.organizationUserRole.createMany({ data: roleIds.map((roleId) => ({ organizationId, userId: memberId, roleId })) });
  else await tx.organizationApplicationRole.createMany({ data: roleIds.map((roleId) => ({ organizationId, applicationId: memberId, roleId })) });
}

async function unlinkRoles(tx: Tx, kind: MemberKind, organizationId: string, memberId: string, roleIds: string[]) {
  if (!roleIds.length) return;
  if (kind === 'user') await tx.organizationUserRole.deleteMany({ where: { organizationId, userId: memberId, roleId: { in: roleIds } } });
  else await tx.organizationApplicationRole.deleteMany({ where: { organizationId, applicationId: memberId, roleId: { in: roleIds } } });
}

async function emitRoles(tx: Tx, actor: Actor, kind: MemberKind, organizationId: string, memberId: string, added: string[], removed: string[]) {
  if (!added.length && !removed.length) return;
  const data = { organizationId, [kind === 'user' ? 'userId' : 'applicationId']: memberId, addedOrganizationRoleIds: added, removedOrganizationRoleIds: removed };
  await emitDataEvent(tx, actor, { event: 'Organization.Membership.Updated', entity: 'Organization', entityId: organizationId, after: data, fields: data });
}

export async function addMemberRoles(actor: Actor, kind: MemberKind, organizationId: string, memberId: string, body: MemberRolesBody): Promise<string[]> {
  return dataChange(async (tx) => {
    await assertMember(kind, organizationId, memberId, tx);
    const ids = await resolveRoleIds(tx, kind, body);
    const have = new Set(await roleIdsOfMember(tx, kind, organizationId, memberId));
    const added = ids.filter((id) => !have.has(id));
    await linkRoles(tx, kind, organizationId, memberId, added);
    await emitRoles(tx, actor, kind, organizationId, memberId, added, []);
    return ids;
  });
}

export async function replaceMemberRoles(actor: Actor, kind: MemberKind, organizationId: string, memberId: string, body: MemberRolesBody): Promise<void> {
  await dataChange(async (tx) => {
    await assertMember(kind, organizationId, memberId, tx);
    const ids = await resolveRoleIds(tx, kind, body);
    const have = await roleIdsOfMember(tx, kind, organizationId, memberId);
    const removed = have.filter((id) => !ids.includes(id));
    const added = ids.filter((id) => !have.includes(id));
    await unlinkRoles(tx, kind, organizationId, memberId, removed);
    await linkRoles(tx, kind, organizationId, memberId, added);
    await emitRoles(tx, actor, kind, organizationId, memberId, added, removed);
  });
}

export async function removeMemberRole(actor: Actor, kind: MemberKind, organizationId: string, memberId: string, roleId: string): Promise<void> {
  await dataChange(async (tx) => {
    await assertMember(kind, organizationId, memberId, tx);
    if (!(await roleIdsOfMember(tx, kind, organizationId, memberId)).includes(roleId)) throw missingLink(`organization ${kind} role`, roleId);
    await unlinkRoles(tx, kind, organizationId, memberId, [roleId]);
    await emitRoles(tx, actor, kind, organizationId, memberId, [], [roleId]);
  });
}

/** Logto's `POST /:id/users/roles` (and applications): every role to every member, all members required. */
export async function addMembersRoles(actor: Actor, kind: MemberKind, organizationId: string, memberIdsIn: string[], roleIdsIn: string[]): Promise<void> {
  await dataChange(async (tx) => {
    const members = dedupe(memberIdsIn);
    const roleIds = dedupe(roleIdsIn);
    const have = new Set(await memberIds(tx, kind, organizationId));
    const outsider = members.find((m) => !have.has(m));
    if (outsider) throw missingRelation(`organization ${kind}`, outsider, FIELD[kind]);
    await requireRoleTypes(tx, kind, roleIds);
    for (const memberId of members) {
      const held = new Set(await roleIdsOfMember(tx, kind, organizationId, memberId));
      const added = roleIds.filter((id) => !held.has(id));
      await linkRoles(tx, kind, organizationId, memberId, added);
      await emitRoles(tx, actor, kind, organizationId, memberId, added, []);
    }
  });
}
