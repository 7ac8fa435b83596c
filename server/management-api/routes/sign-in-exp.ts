// Logto's GET/PATCH /api/sign-in-exp, for the parts Sigil's sign-in experience has: `signInMode`
// (SignInAndRegister enables registration), `passwordPolicy.length` and `usernamePolicy`. Other Logto fields (branding,
// connectors, MFA) are accepted and ignored, as the answer shows: it holds only what Sigil keeps.
import { z } from 'zod';
import { getSignInExperience, PASSWORD_EXPIRATION, patchSignInExperience } from '../../services/sign-in/settings.ts';
import { route } from '../route.ts';

const tag = 'Sign-in experience';
const length = z.object({ min: z.number().int().min(8).max(256).optional(), max: z.number().int().min(8).max(256).optional() });
const patch = z
  .object({
    signInMode: z.enum(['SignIn', 'Register', 'SignInAndRegister']).optional(),
    passwordPolicy: z.object({ length: length.optional() }).passthrough().optional(),
    usernamePolicy: z.object({
      caseSensitive: z.boolean().optional(),
      minLength: z.number().int().min(1).max(128).optional(),
      maxLength: z.number().int().min(1).max(128).optional(),
      allowedChars: z.object({ lowercase: z.boolean(), uppercase: z.boolean(), numbers: z.boolean(), underscore: z.boolean() }).partial().optional(),
    }).optional(),
    passwordExpiration: z.object({ enabled: z.boolean().optional(), validPeriodDays: z.number().optional() }).passthrough().optional(),
  })
  .passthrough();
const response = z.object({
  id: z.string(),
  signInMode: z.enum(['SignIn', 'SignInAndRegister']),
  passwordPolicy: z.object({ length: z.object({ min: z.number(), max: z.number() }) }),
  usernamePolicy: z.object({
    caseSensitive: z.boolean(), minLength: z.number(), maxLength: z.number(),
    allowedChars: z.object({ lowercase: z.boolean(), uppercase: z.boolean(), numbers: z.boolean(), underscore: z.boolean() }),
  }),
  passwordExpiration: z.object({ enabled: z.literal(false) }),
});

const shape = (s: Awaited<ReturnType<typeof getSignInExperience>>) => ({ id: 'default', ...s, passwordExpiration: PASSWORD_EXPIRATION });

/** Keyed by console procedure name: the console's Sign-in page calls the procedures derived from these. */
export const signInExperienceOps = {
  experience: route({
    method: 'GET', path: '/api/sign-in-exp', scope: 'read:configs', tag,
    summary: 'Get the sign-in experience settings Sigil keeps (sign-in mode, password length, username policy)',
    response, status: 200,
    handler: async () => ({ body: shape(await getSignInExperience()) }),
  }),
  updateExperience: route({
    method: 'PATCH', path: '/api/sign-in-exp', scope: 'write:configs', tag,
    summary: 'Update the sign-in mode, password length and username policy; other Logto fields are accepted and ignored',
    body: patch, response, status: 200, errors: [400],
    handler: async ({ body }) => ({ body: shape(await patchSignInExperience(body)) }),
  }),
};
