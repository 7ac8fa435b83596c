// API resources and their scopes in the console; the built-in Management API is read-only (the service
// refuses changes to it, as it does for the REST API).
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { resourceCreate, resourcePatch, scopeCreate, scopePatch } from '../../schemas/resources.ts';
import * as resources from '../../services/resources.ts';
import { adminProcedure, router } from '../init.ts';
import { allPages, byId, listInput, toPagination } from '../pagination.ts';

export const resourcesRouter = router({
  list: adminProcedure
    .input(listInput)
    .query(({ input }) => resources.listResources({ search: input.search, includeScopes: true }, toPagination(input))),
  /** Every resource with its scopes, for scope pickers. */
  withScopes: adminProcedure.query(() => allPages((page) => resources.listResources({ includeScopes: true }, page))),
  get: adminProcedure.input(byId).query(({ input }) => resources.getResource(input.id)),
  create: adminProcedure.input(resourceCreate).mutation(({ ctx, input }) => resources.createResource(ctx.actor, input)),
  update: adminProcedure
    .input(z.object({ id, patch: resourcePatch }))
    .mutation(({ ctx, input }) => resources.updateResource(ctx.actor, input.id, input.patch)),
  delete: adminProcedure.input(byId).mutation(({ ctx, input }) => resources.deleteResource(ctx.actor, input.id)),

  createScope: adminProcedure
    .input(scopeCreate.extend({ resourceId: id }))
    .mutation(({ ctx, input }) => resources.createScope(ctx.actor, input.resourceId, { name: input.name, description: input.description })),
  updateScope: adminProcedure
    .input(z.object({ resourceId: id, scopeId: id, patch: scopePatch }))
    .mutation(({ ctx, input }) => resources.updateScope(ctx.actor, input.resourceId, input.scopeId, input.patch)),
  deleteScope: adminProcedure
    .input(z.object({ resourceId: id, scopeId: id }))
    .mutation(({ ctx, input }) => resources.deleteScope(ctx.actor, input.resourceId, input.scopeId)),
});
