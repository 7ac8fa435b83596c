// Logto's GET/PATCH /api/sign-in-exp, for the parts Sigil's sign-in experience has: `signInMode`
// (SignInAndRegister enables registration) and `passwordPolicy.length`. Other Logto fields (branding,
// connectors, MFA) are accepted and ignored, as the answer shows: it holds only what Sigil keeps.
import { z } from 'zod';
import { signInExperiencePatch } from '../../schemas/sign-in-exp.ts';
import { getSignInExperience } from '../../services/sign-in/settings.ts';
import { updateSignInExperience } from '../../services/sign-in/settings-update.ts';
import { route } from '../route.ts';

const tag = 'Sign-in experience';
const patch = signInExperiencePatch.passthrough();
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
    handler: async ({ body }) => ({ body: shape(await updateSignInExperience(body)) }),
  }),
];
