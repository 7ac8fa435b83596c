// An application's roles, with Logto's semantics: MachineToMachine apps only (422 application.invalid_type),
// POST adds and silently skips roles already held, PUT replaces the whole set.
import { db, type Tx } from '../db/index.ts';
import type { Pagination } from '../schemas/common.ts';
import type { Actor } from './actor.ts';
import { notFound, unprocessable } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { likeSearch as contains, skipTake } from './pages.ts';
import { assertWithinCaller } from './privilege.ts';
import { configChange } from './transaction.ts';

async function requireM2mApp(tx: Tx, applicationId: string) {
  const app = await tx.application.findUnique({ where: { id: applicationId } });
  if (!app) throw notFound('application', applicationId);
  if (app.type !== 'MachineToMachine') {
    throw unprocessable('application.invalid_type', `Only MachineToMachine applications have roles; this one is ${app.type}.`);
  }
  return app;
}

/** Every id must be an existing MachineToMachine role. */
async function requireM2mRoles(tx: Tx, roleIds: string[]): Promise<void> {
  const roles = await tx.role.findMany({ where: { id: { in: roleIds } } });
  for (const id of roleIds) {
    const role = roles.find((r) => r.id === id);
    if (!role) throw notFound('role', id);
    if (role.type !== 'MachineToMachine') {
      throw unprocessable('application.invalid_role_type', `Role \`${role.name}\` is a User role; applications take MachineToMachine roles.`, 'roleIds');
    }
  }
}

export async function listApplicationRoles(applicationId: string, page: Pagination, query: { search?: string } = {}) {
  await requireM2mApp(db() as unknown as Tx, applicationId);
  const term = contains(query.search);
  const where = { applications: { some: { applicationId } }, ...(term ? { OR: [{ name: term }, { description: term }] } : {}) };
  const [total, rows] = await Promise.all([
    db().role.count({ where }),
    db().role.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows };
}

/** Logto's POST: `{ roleIds, addedRoleIds }`, roles the app already has are skipped without error. */
export async function assignApplicationRoles(actor: Actor, applicationId: string, roleIds: string[]) {
  return configChange(async (tx) => {
    await requireM2mApp(tx, applicationId);
    const wanted = [...new Set(roleIds)];
    await requireM2mRoles(tx, wanted);
    const held = new Set((await tx.applicationRole.findMany({ where: { applicationId, roleId: { in: wanted } } })).map((l) => l.roleId));
    const addedRoleIds = wanted.filter((id) => !held.has(id));
    if (addedRoleIds.length > 0) {
      await tx.applicationRole.createMany({ data: addedRoleIds.map((roleId) => ({ applicationId, roleId })) });
      await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
      await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, after: { roleIds: addedRoleIds }, applicationId });
    }
    return { roleIds, addedRoleIds };
  });
}

/** Logto's PUT: the app ends up with exactly `roleIds`. */
export async function replaceApplicationRoles(actor: Actor, applicationId: string, roleIds: string[]): Promise<void> {
  await configChange(async (tx) => {
    await requireM2mApp(tx, applicationId);
    const wanted = [...new Set(roleIds)];
    await requireM2mRoles(tx, wanted);
    const before = (await tx.applicationRole.findMany({ where: { applicationId } })).map((l) => l.roleId);
    const toAdd = wanted.filter((id) => !before.includes(id));
    const toRemove = before.filter((id) => !wanted.includes(id));
    if (toAdd.length === 0 && toRemove.length === 0) return;
    await tx.applicationRole.deleteMany({ where: { applicationId, roleId: { in: toRemove } } });
    await tx.applicationRole.createMany({ data: toAdd.map((roleId) => ({ applicationId, roleId })) });
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    await emitDataEvent(tx, actor, {
      event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId,
      before: { roleIds: before }, after: { roleIds: wanted }, applicationId,
    });
  });
}

export async function removeApplicationRole(actor: Actor, applicationId: string, roleId: string): Promise<void> {
  await configChange(async (tx) => {
    await requireM2mApp(tx, applicationId);
    const link = await tx.applicationRole.findUnique({ where: { applicationId_roleId: { applicationId, roleId } } });
    if (!link) throw notFound('application role', roleId);
    await tx.applicationRole.delete({ where: { applicationId_roleId: { applicationId, roleId } } });
    await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, before: { roleId }, applicationId });
  });
}
