// Sigil's sign-in experience settings, kept in the Setting table in Logto's vocabulary so that the
// Management API's GET/PATCH /api/sign-in-exp can expose them in Logto's shape:
// - signInMode: 'SignIn' (the default: no self-registration) or 'SignInAndRegister';
// - passwordPolicy.length: { min, max } for new passwords (registration).
// Read on each sign-in page view (one primary-key read), so a change applies at once in every instance.
import { z } from 'zod';
import { db } from '../../db/index.ts';

const KEY = 'sign-in-experience';

export const signInExperience = z.object({
  signInMode: z.enum(['SignIn', 'SignInAndRegister']),
  passwordPolicy: z.object({ length: z.object({ min: z.number().int().min(8).max(256), max: z.number().int().min(8).max(256) }) }),
});
export type SignInExperience = z.infer<typeof signInExperience>;

export const DEFAULT_SIGN_IN_EXPERIENCE: SignInExperience = { signInMode: 'SignIn', passwordPolicy: { length: { min: 8, max: 256 } } };

export async function getSignInExperience(): Promise<SignInExperience> {
  const row = await db().setting.findUnique({ where: { key: KEY } });
  const parsed = signInExperience.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_SIGN_IN_EXPERIENCE, ...(parsed.success ? parsed.data : {}) };
}

export async function setSignInExperience(patch: Partial<SignInExperience>): Promise<SignInExperience> {
  const next = signInExperience.parse({ ...(await getSignInExperience()), ...patch });
  await db().setting.upsert({ where: { key: KEY }, create: { key: KEY, value: next }, update: { value: next } });
  return next;
}

export const signUpEnabled = (s: SignInExperience) => s.signInMode === 'SignInAndRegister';
