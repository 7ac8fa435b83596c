// Which roles a user holds, and the `User.Roles.Updated` event both the users and the roles services emit
// when that set changes.
import type { Tx } from '../../db/index.ts';
import type { Actor } from '../actor.ts';
import { emitDataEvent } from '../events/index.ts';

export async function roleIdsOf(tx: Tx, userId: string): Promise<string[]> {
  const links = await tx.userRole.findMany({ where: { userId }, select: { roleId: true }, orderBy: { roleId: 'asc' } });
  return links.map((l) => l.roleId);
}

/** Call after the change, inside its transaction, with the role ids the user had before it. */
export async function emitRolesUpdated(tx: Tx, actor: Actor, userId: string, before: string[]): Promise<void> {
  const after = await roleIdsOf(tx, userId);
  await emitDataEvent(tx, actor, {
    event: 'User.Roles.Updated', entity: 'User', entityId: userId, userId,
    before: { roleIds: before }, after: { roleIds: after }, data: { userId, roleIds: after },
  });
}
