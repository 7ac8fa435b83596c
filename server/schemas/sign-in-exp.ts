// The sign-in experience settings Sigil keeps, as a change request: the Management API's PATCH
// /api/sign-in-exp (which also accepts, without keeping, Logto's other fields) and the console's
// "Sign-in" page validate with the same schema and change through the same service.
import { z } from 'zod';

const passwordLength = z.object({
  min: z.number().int().min(8).max(256).optional(),
  max: z.number().int().min(8).max(256).optional(),
});

export const signInExperiencePatch = z.object({
  /** Logto's modes; `Register` and `SignInAndRegister` both enable sign-up (Sigil always offers sign-in). */
  signInMode: z.enum(['SignIn', 'Register', 'SignInAndRegister']).optional(),
  passwordPolicy: z.object({ length: passwordLength.optional() }).passthrough().optional(),
});
export type SignInExperiencePatch = z.infer<typeof signInExperiencePatch>;
