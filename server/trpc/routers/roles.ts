// Roles in the console: their scopes (picked across resources) and the applications holding them.
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { roleCreate, roleListQuery, rolePatch, scopeIdsBody } from '../../schemas/roles.ts';
import * as apps from '../../services/applications.ts';
import * as roles from '../../services/roles.ts';
import { adminProcedure, router } from '../init.ts';
import { allPages, byId, listInput, toPagination } from '../pagination.ts';

export const rolesRouter = router({
  list: adminProcedure
    .input(listInput.extend({ type: roleListQuery.shape.type }))
    .query(({ input }) => roles.listRoles({ search: input.search, type: input.type }, toPagination(input))),
  get: adminProcedure.input(byId).query(({ input }) => roles.getRole(input.id)),
  create: adminProcedure.input(roleCreate).mutation(({ ctx, input }) => roles.createRole(ctx.actor, input)),
  update: adminProcedure.input(z.object({ id, patch: rolePatch })).mutation(({ ctx, input }) => roles.updateRole(ctx.actor, input.id, input.patch)),
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => roles.deleteRole(ctx.actor, input.id)),

  /** The role's scopes with their resources (all of them; roles rarely carry more than a few hundred). */
  scopes: adminProcedure.input(byId).query(({ input }) => allPages((page) => roles.listRoleScopes(input.id, {}, page))),
  addScopes: adminProcedure.input(scopeIdsBody.extend({ id })).mutation(({ ctx, input }) => roles.addRoleScopes(ctx.actor, input.id, input.scopeIds)),
  removeScope: adminProcedure
    .input(z.object({ id, scopeId: id }))
    .mutation(({ ctx, input }) => roles.removeRoleScope(ctx.actor, input.id, input.scopeId)),

  applications: adminProcedure
    .input(listInput.omit({ search: true }).extend({ id }))
    .query(async ({ input }) => {
      const page = await roles.listRoleApplications(input.id, toPagination(input));
      return { total: page.total, items: page.items.map(apps.toApplicationResponse) };
    }),
  assignApplications: adminProcedure
    .input(z.object({ id, applicationIds: z.array(id).min(1).max(100) }))
    .mutation(({ ctx, input }) => roles.assignRoleApplications(ctx.actor, input.id, input.applicationIds)),
  removeApplication: adminProcedure
    .input(z.object({ id, applicationId: id }))
    .mutation(({ ctx, input }) => roles.removeRoleApplication(ctx.actor, input.id, input.applicationId)),

  users: adminProcedure
    .input(listInput.extend({ id }))
    .query(({ input }) => roles.listRoleUsers(input.id, toPagination(input), { search: input.search })),
  assignUsers: adminProcedure
    .input(z.object({ id, userIds: z.array(id).min(1).max(100) }))
    .mutation(({ ctx, input }) => roles.assignRoleUsers(ctx.actor, input.id, input.userIds)),
  removeUser: adminProcedure
    .input(z.object({ id, userId: id }))
    .mutation(({ ctx, input }) => roles.removeRoleUser(ctx.actor, input.id, input.userId)),
});
