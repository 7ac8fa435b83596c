// Logto's GET/PATCH /api/sign-in-exp, for the parts Sigil's sign-in experience has: `signInMode`
// (SignInAndRegister enables registration) and `passwordPolicy.length`. Other Logto fields (branding,
// connectors, MFA) are accepted and ignored, as the answer shows: it holds only what Sigil keeps.
import { z } from 'zod';
import { getSignInExperience, setSignInExperience } from '../../services/sign-in/settings.ts';
import { ApiError } from '../errors.ts';
import { route } from '../route.ts';

const tag = 'Sign-in experience';
const length = z.object({ min: z.number().int().min(8).max(256).optional(), max: z.number().int().min(8).max(256).optional() });
const patch = z
  .object({
    signInMode: z.enum(['SignIn', 'Register', 'SignInAndRegister']).optional(),
    passwordPolicy: z.object({ length: length.optional() }).passthrough().optional(),
  })
  .passthrough();
const response = z.object({
  id: z.string(),
  signInMode: z.enum(['SignIn', 'SignInAndRegister']),
  passwordPolicy: z.object({ length: z.object({ min: z.number(), max: z.number() }) }),
});

const shape = (s: Awaited<ReturnType<typeof getSignInExperience>>) => ({ id: 'default', ...s });

export const signInExperienceRoutes = [
  route({
    method: 'GET', path: '/api/sign-in-exp', scope: 'read:configs', tag,
    summary: 'Get the sign-in experience settings Sigil keeps (sign-in mode, password length)',
    response, status: 200,
    handler: async () => ({ body: shape(await getSignInExperience()) }),
  }),
  route({
    method: 'PATCH', path: '/api/sign-in-exp', scope: 'write:configs', tag,
    summary: 'Update the sign-in mode and password length; other Logto fields are accepted and ignored',
    body: patch, response, status: 200, errors: [400],
    handler: async ({ body }) => {
      const current = await getSignInExperience();
      const min = body.passwordPolicy?.length?.min ?? current.passwordPolicy.length.min;
      const max = body.passwordPolicy?.length?.max ?? current.passwordPolicy.length.max;
      if (min > max) throw new ApiError(400, 'guard.invalid_input', 'Invalid body: passwordPolicy.length: min must not exceed max', 'passwordPolicy.length');
      const signInMode = body.signInMode === undefined ? current.signInMode : body.signInMode === 'SignIn' ? 'SignIn' : 'SignInAndRegister';
      return { body: shape(await setSignInExperience({ signInMode, passwordPolicy: { length: { min, max } } })) };
    },
  }),
];
