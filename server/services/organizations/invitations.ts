// Organization invitations (Logto's RFC 0003): an invitee email, its inviter, the organization and the
// roles it will get; at most one Pending invitation per invitee and organization (checked in the creating
// transaction). Sigil sends no mail: the `OrganizationInvitation.Created` event carries what a sender needs.
// A Pending invitation past `expiresAt` reads as Expired and can no longer change.
import { db, type Tx } from '../../db/index.ts';
import type { InvitationCreate, InvitationResponse, InvitationStatusBody } from '../../schemas/organizations.ts';
import type { Actor } from '../actor.ts';
import { randomId } from '../crypto.ts';
import { DomainError, notFound } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { dataChange } from '../transaction.ts';
import { dedupe, firstMissing, missingRelation, roleTypeMismatch } from './common.ts';

const withRoles = { roles: { include: { role: { select: { id: true, name: true } } } } } as const;
type InvitationRow = Awaited<ReturnType<typeof findInvitation>>;

function findInvitation(tx: Tx, id: string) {
  return tx.organizationInvitation.findUnique({ where: { id }, include: withRoles });
}

function statusOf(row: { status: string; expiresAt: Date }, now = Date.now()): InvitationResponse['status'] {
  return row.status === 'Pending' && row.expiresAt.getTime() <= now ? 'Expired' : (row.status as InvitationResponse['status']);
}

/** `now`: the moment the status is read at (creation answers with the status it created). */
function toInvitationResponse(row: NonNullable<InvitationRow>, now = Date.now()): InvitationResponse {
  return {
    id: row.id,
    inviterId: row.inviterId,
    invitee: row.invitee,
    acceptedUserId: row.acceptedUserId,
    organizationId: row.organizationId,
    status: statusOf(row, now),
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    expiresAt: row.expiresAt.getTime(),
    organizationRoles: row.roles.map((r) => ({ id: r.role.id, name: r.role.name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

async function requireInvitation(tx: Tx, id: string) {
  const row = await findInvitation(tx, id);
  if (!row) throw notFound('organization invitation', id);
  return row;
}

const invalidRequest = (status: 'invalid_input' | 'unprocessable', message: string, field?: string) =>
  new DomainError(status, 'request.invalid_input', message, field);

export async function createInvitation(actor: Actor, input: InvitationCreate): Promise<InvitationResponse> {
  const now = Date.now();
  if (input.expiresAt <= now) throw invalidRequest('invalid_input', 'The value of `expiresAt` must be in the future.', 'expiresAt');
  return dataChange(async (tx) => {
    const organization = await tx.organization.findUnique({ where: { id: input.organizationId } });
    if (!organization) throw missingRelation('organization', input.organizationId, 'organizationId');
    if (input.inviterId && !(await tx.user.findUnique({ where: { id: input.inviterId }, select: { id: true } }))) {
      throw missingRelation('user', input.inviterId, 'inviterId');
    }
    const roleIds = dedupe(input.organizationRoleIds ?? []);
    const roles = await tx.organizationRole.findMany({ where: { id: { in: roleIds } }, select: { id: true, type: true } });
    const missing = firstMissing(roleIds, roles);
    if (missing) throw missingRelation('organization role', missing, 'organizationRoleIds');
    const wrong = roles.find((r) => r.type !== 'User');
    if (wrong) throw roleTypeMismatch(wrong.id, 'User', 'organizationRoleIds');
    const member = await tx.organizationUser.findFirst({ where: { organizationId: input.organizationId, user: { primaryEmail: input.invitee } } });
    if (member) throw invalidRequest('unprocessable', 'The invitee is already a member of the organization.', 'invitee');
    const pending = await tx.organizationInvitation.findMany({ where: { organizationId: input.organizationId, invitee: input.invitee, status: 'Pending' } });
    if (pending.some((p) => statusOf(p) === 'Pending')) {
      throw new DomainError('conflict', 'entity.unique_integrity_violation', 'The invitee already has a pending invitation to this organization.', 'invitee');
    }
    // A stale Pending row past its expiry is closed now, so one Pending row per invitee and organization holds.
    if (pending.length) await tx.organizationInvitation.updateMany({ where: { id: { in: pending.map((p) => p.id) } }, data: { status: 'Expired' } });
    const id = randomId();
    await tx.organizationInvitation.create({
      data: { id, inviterId: input.inviterId ?? null, invitee: input.invitee, organizationId: input.organizationId, status: 'Pending', expiresAt: new Date(input.expiresAt) },
    });
    if (roleIds.length) await tx.organizationInvitationRole.createMany({ data: roleIds.map((roleId) => ({ invitationId: id, roleId })) });
    const response = toInvitationResponse((await findInvitation(tx, id))!, now);
    await emitDataEvent(tx, actor, {
      event: 'OrganizationInvitation.Created', entity: 'OrganizationInvitation', entityId: id, after: response,
      data: { ...response, organization: { id: organization.id, name: organization.name }, messagePayload: input.messagePayload || null },
    });
    return response;
  });
}

export async function listInvitations(filter: { organizationId?: string; inviterId?: string; invitee?: string }): Promise<InvitationResponse[]> {
  const rows = await db().organizationInvitation.findMany({
    where: { ...filter, ...(filter.invitee ? { invitee: filter.invitee.toLowerCase() } : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: withRoles,
  });
  return rows.map(toInvitationResponse);
}

export async function getInvitation(id: string): Promise<InvitationResponse> {
  return toInvitationResponse(await requireInvitation(db() as unknown as Tx, id));
}

export async function deleteInvitation(actor: Actor, id: string): Promise<void> {
  await dataChange(async (tx) => {
    const before = toInvitationResponse(await requireInvitation(tx, id));
    await tx.organizationInvitation.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'OrganizationInvitation.Deleted', entity: 'OrganizationInvitation', entityId: id, before });
  });
}

/** Accept (the accepting user joins with the invitation's roles) or revoke a Pending invitation. */
export async function updateInvitationStatus(actor: Actor, id: string, body: InvitationStatusBody): Promise<InvitationResponse> {
  return dataChange(async (tx) => {
    const row = await requireInvitation(tx, id);
    const before = toInvitationResponse(row);
    if (before.status !== 'Pending') throw invalidRequest('unprocessable', `The invitation is ${before.status}; only a Pending invitation can change.`, 'status');
    if (body.status === 'Accepted') {
      if (!body.acceptedUserId) throw invalidRequest('unprocessable', 'The `acceptedUserId` is required when accepting an invitation.', 'acceptedUserId');
      const user = await tx.user.findUnique({ where: { id: body.acceptedUserId } });
      if (!user) throw new DomainError('not_found', 'entity.not_found', `The user with id \`${body.acceptedUserId}\` does not exist.`, 'acceptedUserId');
      if (user.primaryEmail?.toLowerCase() !== row.invitee) throw invalidRequest('unprocessable', "The user's email is not the invitee's.", 'acceptedUserId');
      await join(tx, actor, row.organizationId, user.id, row.roles.map((r) => r.roleId));
    }
    await tx.organizationInvitation.update({ where: { id }, data: { status: body.status, acceptedUserId: body.status === 'Accepted' ? body.acceptedUserId! : null } });
    const after = toInvitationResponse((await findInvitation(tx, id))!);
    await emitDataEvent(tx, actor, { event: 'OrganizationInvitation.Status.Updated', entity: 'OrganizationInvitation', entityId: id, before, after });
    return after;
  });
}

async function join(tx: Tx, actor: Actor, organizationId: string, userId: string, roleIds: string[]) {
  const existing = await tx.organizationUser.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
  if (!existing) await tx.organizationUser.create({ data: { organizationId, userId } });
  const held = new Set((await tx.organizationUserRole.findMany({ where: { organizationId, userId }, select: { roleId: true } })).map((r) => r.roleId));
  const added = roleIds.filter((r) => !held.has(r));
  if (added.length) await tx.organizationUserRole.createMany({ data: added.map((roleId) => ({ organizationId, userId, roleId })) });
  const data = { organizationId, ...(existing ? {} : { addedUserIds: [userId] }), ...(added.length ? { userId, addedOrganizationRoleIds: added } : {}) };
  if (!existing || added.length) await emitDataEvent(tx, actor, { event: 'Organization.Membership.Updated', entity: 'Organization', entityId: organizationId, after: data, fields: data });
}

