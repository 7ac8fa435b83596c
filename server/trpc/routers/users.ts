// Users in the console: the same users service as the Management API's /api/users.
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { roleIdsBody } from '../../schemas/roles.ts';
import { isSuspendedBody, passwordBody, userCreate, userPatch } from '../../schemas/users.ts';
import * as users from '../../services/users.ts';
import { adminProcedure, router } from '../init.ts';
import { allPages, byId, listInput, toPagination } from '../pagination.ts';

export const usersRouter = router({
  list: adminProcedure
    .input(listInput.extend({ excludeRoleId: id.optional() }))
    .query(({ input }) => users.listUsers({ search: input.search, excludeRoleId: input.excludeRoleId }, toPagination(input))),
  get: adminProcedure.input(byId).query(({ input }) => users.getUser(input.id)),
  roles: adminProcedure.input(byId).query(({ input }) => allPages((page) => users.listUserRoles(input.id, page))),
  create: adminProcedure.input(userCreate).mutation(({ ctx, input }) => users.createUser(ctx.actor, input)),
  update: adminProcedure.input(z.object({ id, patch: userPatch })).mutation(({ ctx, input }) => users.updateUser(ctx.actor, input.id, input.patch)),
  setSuspended: adminProcedure
    .input(isSuspendedBody.extend({ id }))
    .mutation(({ ctx, input }) => users.setSuspended(ctx.actor, input.id, input.isSuspended)),
  setPassword: adminProcedure.input(passwordBody.extend({ id })).mutation(({ ctx, input }) => users.setPassword(ctx.actor, input.id, input.password)),
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => users.deleteUser(ctx.actor, input.id)),
  assignRoles: adminProcedure.input(roleIdsBody.extend({ id })).mutation(({ ctx, input }) => users.assignUserRoles(ctx.actor, input.id, input.roleIds)),
  removeRole: adminProcedure.input(z.object({ id, roleId: id })).mutation(({ ctx, input }) => users.removeUserRole(ctx.actor, input.id, input.roleId)),
});
