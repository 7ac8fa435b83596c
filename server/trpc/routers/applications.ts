// Applications in the console: the same services (and so the same audit records and webhooks) as the
// Management API's /api/applications.
import { z } from 'zod';
import { env } from '../../env.ts';
import { applicationCreate, applicationPatch, secretCreate } from '../../schemas/applications.ts';
import { id } from '../../schemas/common.ts';
import { roleIdsBody } from '../../schemas/roles.ts';
import * as apps from '../../services/applications.ts';
import { findClient } from '../../services/clients.ts';
import { toRoleResponse } from '../../services/roles.ts';
import { adminProcedure, router } from '../init.ts';
import { byId, listInput, toPagination } from '../pagination.ts';

export const applicationsRouter = router({
  list: adminProcedure.input(listInput).query(({ input }) => apps.listApplications({ search: input.search }, toPagination(input))),

  /** The application with its secrets (names and prefixes only) and roles. */
  get: adminProcedure.input(byId).query(async ({ input }) => {
    const application = await apps.getApplication(input.id);
    const [secrets, roles] = await Promise.all([
      apps.listSecrets(input.id),
      apps.listApplicationRoles(input.id, { page: 1, page_size: 100 }),
    ]);
    return { application, secrets, roles: roles.items.map(toRoleResponse) };
  }),

  /** What a token request for this app can ask for: resources and scopes its M2M roles grant. */
  grants: adminProcedure.input(byId).query(async ({ input }) => {
    await apps.getApplication(input.id);
    const client = await findClient(input.id);
    const resources = [...(client?.grantedScopes ?? new Map<string, Set<string>>())].map(([indicator, scopes]) => ({
      indicator,
      scopes: [...scopes].sort(),
    }));
    return { tokenEndpoint: `${env().issuer}/token`, managementApi: env().managementApiIndicator, resources };
  }),

  create: adminProcedure.input(applicationCreate).mutation(({ ctx, input }) => apps.createApplication(ctx.actor, input)),
  update: adminProcedure
    .input(z.object({ id, patch: applicationPatch }))
    .mutation(({ ctx, input }) => apps.updateApplication(ctx.actor, input.id, input.patch)),
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => apps.deleteApplication(ctx.actor, input.id)),

  addSecret: adminProcedure.input(secretCreate.extend({ id })).mutation(({ ctx, input }) =>
    apps.addSecret(ctx.actor, input.id, { name: input.name, expiresAt: input.expiresAt }),
  ),
  deleteSecret: adminProcedure
    .input(z.object({ id, name: z.string().min(1).max(256) }))
    .mutation(({ ctx, input }) => apps.deleteSecret(ctx.actor, input.id, input.name)),

  assignRoles: adminProcedure.input(roleIdsBody.extend({ id })).mutation(({ ctx, input }) => apps.assignApplicationRoles(ctx.actor, input.id, input.roleIds)),
  removeRole: adminProcedure
    .input(z.object({ id, roleId: id }))
    .mutation(({ ctx, input }) => apps.removeApplicationRole(ctx.actor, input.id, input.roleId)),
});
