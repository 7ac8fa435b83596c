// One way to change the sign-in experience, for the Management API's PATCH /api/sign-in-exp and the console:
// fields left out keep their value, Logto's `Register` mode means sign-up on, and the password length range
// must not be empty.
import type { SignInExperiencePatch } from '../../schemas/sign-in-exp.ts';
import { invalidInput } from '../errors.ts';
import { getSignInExperience, setSignInExperience, type SignInExperience } from './settings.ts';

export async function updateSignInExperience(patch: SignInExperiencePatch): Promise<SignInExperience> {
  const current = await getSignInExperience();
  const min = patch.passwordPolicy?.length?.min ?? current.passwordPolicy.length.min;
  const max = patch.passwordPolicy?.length?.max ?? current.passwordPolicy.length.max;
  if (min > max) throw invalidInput('passwordPolicy.length', 'min must not exceed max');
  const signInMode = patch.signInMode === undefined ? current.signInMode : patch.signInMode === 'SignIn' ? 'SignIn' : 'SignInAndRegister';
  return setSignInExperience({ signInMode, passwordPolicy: { length: { min, max } } });
}
