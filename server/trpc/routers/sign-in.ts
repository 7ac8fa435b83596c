// Console-only procedures for end-user sign-in: the sign-in experience settings (the same schema and
// service as the Management API's GET/PATCH /api/sign-in-exp) and a user's sessions and grants with
// "sign out everywhere" (the revocation suspension uses, without suspending).
import { z } from 'zod';
import { id } from '../../schemas/common.ts';
import { signInExperiencePatch } from '../../schemas/sign-in-exp.ts';
import { getSignInExperience } from '../../services/sign-in/settings.ts';
import { updateSignInExperience } from '../../services/sign-in/settings-update.ts';
import { listUserSignIns } from '../../services/sign-in/user-sign-ins.ts';
import { signOutEverywhere } from '../../services/users.ts';
import { adminProcedure, router } from '../init.ts';

const byUser = z.object({ userId: id });

export const signInRouter = router({
  experience: adminProcedure.query(() => getSignInExperience()),
  updateExperience: adminProcedure.input(signInExperiencePatch.strict()).mutation(({ input }) => updateSignInExperience(input)),
  userSignIns: adminProcedure.input(byUser).query(({ input }) => listUserSignIns(input.userId)),
  signOutEverywhere: adminProcedure.input(byUser).mutation(({ ctx, input }) => signOutEverywhere(ctx.actor, input.userId)),
});
