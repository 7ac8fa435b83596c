// End-user sign-in in the console: the sign-in experience settings are derived from the Management API's
// GET/PATCH /api/sign-in-exp declarations; a user's sessions and grants with "sign out everywhere" (the
// revocation suspension uses, without suspending) are console-only.
import { z } from 'zod';
import { signInExperienceOps } from '../../management-api/routes/sign-in-exp.ts';
import { id } from '../../schemas/common.ts';
import { listUserSignIns } from '../../services/sign-in/user-sign-ins.ts';
import { signOutEverywhere } from '../../services/users.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';

const byUser = z.object({ userId: id });

export const signInRouter = router({
  ...proceduresOf(signInExperienceOps),
  userSignIns: adminProcedure.input(byUser).query(({ input }) => listUserSignIns(input.userId)),
  signOutEverywhere: adminProcedure.input(byUser).mutation(({ ctx, input }) => signOutEverywhere(ctx.actor, input.userId)),
});
