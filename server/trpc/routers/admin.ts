// Console administrators: the one-time first-administrator setup (public, refused once any exists),
// the signed-in administrator, and managing other administrators.
import { z } from 'zod';
import { administratorCreate, passwordChange } from '../../schemas/administrators.ts';
import { BOOTSTRAP } from '../../services/actor.ts';
import * as administrators from '../../services/administrators.ts';
import { adminProcedure, publicProcedure, router } from '../init.ts';

export const adminRouter = router({
  /** Public: the fresh-install screen. The service refuses atomically once an administrator exists. */
  createFirst: publicProcedure.input(administratorCreate).mutation(({ ctx, input }) =>
    administrators.createFirstAdministrator({ ...BOOTSTRAP, ip: ctx.ip ?? undefined, userAgent: ctx.userAgent }, input),
  ),
  me: adminProcedure.query(({ ctx }) => ctx.admin),
  list: adminProcedure.query(() => administrators.listAdministrators()),
  create: adminProcedure.input(administratorCreate).mutation(({ ctx, input }) => administrators.createAdministrator(ctx.actor, input)),
  delete: adminProcedure.input(z.object({ id: z.string().min(1).max(128) })).mutation(({ ctx, input }) =>
    administrators.deleteAdministrator(ctx.actor, input.id),
  ),
  changePassword: adminProcedure.input(passwordChange).mutation(({ ctx, input }) => administrators.changeOwnPassword(ctx.actor, input)),
});
