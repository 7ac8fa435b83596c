// Sigil's sign-in experience settings, kept in the Setting table in Logto's vocabulary so that the
// Management API's GET/PATCH /api/sign-in-exp can expose them in Logto's shape:
// - signInMode: 'SignIn' (the default: no self-registration) or 'SignInAndRegister';
// - passwordPolicy.length: { min, max } for new passwords (registration);
// - usernamePolicy: Logto's (@logto/core-kit) { caseSensitive, minLength, maxLength, allowedChars }.
//   `caseSensitive: false` makes usernames unique regardless of case, for every write (Management API
//   included); the length and character rules bind end users registering, not administrators (Logto's rule);
// - passwordExpiration: Logto's policy. Logto lets it be enabled only when people can reset a forgotten
//   password by email or SMS; Sigil has no such connectors, so it stays `{ enabled: false }` and enabling it
//   answers Logto's 422 `sign_in_experiences.password_expiration_requires_forgot_password`.
// Read on each sign-in page view and user write (one primary-key read), so a change applies at once in
// every instance.
import { z } from 'zod';
import { db } from '../../db/index.ts';
import { DomainError, invalidInput } from '../errors.ts';

const KEY = 'sign-in-experience';

const usernamePolicy = z.object({
  caseSensitive: z.boolean(),
  minLength: z.number().int().min(1).max(128),
  maxLength: z.number().int().min(1).max(128),
  allowedChars: z.object({ lowercase: z.boolean(), uppercase: z.boolean(), numbers: z.boolean(), underscore: z.boolean() }),
});
export type UsernamePolicy = z.infer<typeof usernamePolicy>;

export const signInExperience = z.object({
  signInMode: z.enum(['SignIn', 'SignInAndRegister']),
  passwordPolicy: z.object({ length: z.object({ min: z.number().int().min(8).max(256), max: z.number().int().min(8).max(256) }) }),
  usernamePolicy,
});
export type SignInExperience = z.infer<typeof signInExperience>;

/** Logto's passwordExpirationPolicyGuard: `{ enabled: false }` or `{ enabled: true, validPeriodDays ≥ 1 }`. */
export type PasswordExpirationPatch = { enabled?: boolean; validPeriodDays?: number };

/** Logto's defaultUsernamePolicy: case-sensitive, 1–128 characters, every character class. */
export const DEFAULT_USERNAME_POLICY: UsernamePolicy = {
  caseSensitive: true, minLength: 1, maxLength: 128, allowedChars: { lowercase: true, uppercase: true, numbers: true, underscore: true },
};

export const DEFAULT_SIGN_IN_EXPERIENCE: SignInExperience = {
  signInMode: 'SignIn', passwordPolicy: { length: { min: 8, max: 256 } }, usernamePolicy: DEFAULT_USERNAME_POLICY,
};

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

/** What PATCH /api/sign-in-exp may change (each part optional, merged over the stored settings). */
export type SignInExperiencePatch = {
  signInMode?: 'SignIn' | 'Register' | 'SignInAndRegister';
  passwordPolicy?: { length?: { min?: number; max?: number } };
  usernamePolicy?: Partial<Omit<UsernamePolicy, 'allowedChars'>> & { allowedChars?: Partial<UsernamePolicy['allowedChars']> };
  passwordExpiration?: PasswordExpirationPatch;
};

/** Sigil never expires passwords (see above); what Logto would accept to enable is refused with Logto's codes. */
function checkPasswordExpiration(patch: PasswordExpirationPatch | undefined): void {
  if (!patch || patch.enabled === false || patch.enabled === undefined) return;
  if (!Number.isInteger(patch.validPeriodDays) || patch.validPeriodDays! < 1) {
    throw new DomainError('unprocessable', 'sign_in_experiences.password_expiration_invalid_period_days', 'Valid period days must be a positive integer when password expiration is enabled.', 'passwordExpiration.validPeriodDays');
  }
  throw new DomainError('unprocessable', 'sign_in_experiences.password_expiration_requires_forgot_password', 'Password expiration requires at least one forgot password method with a valid connector (Sigil has no email or SMS connectors).', 'passwordExpiration.enabled');
}

/** Logto's `passwordExpiration` as GET /api/sign-in-exp shows it: never enabled in Sigil. */
export const PASSWORD_EXPIRATION = { enabled: false } as const;

/** Whether an administrator may mark passwords expired (Logto: only while the policy is enabled). */
export const passwordExpirationEnabled = (): boolean => false;

/** Merges a patch and checks what only the whole can tell (min ≤ max; a username must be able to start). */
export async function patchSignInExperience(patch: SignInExperiencePatch): Promise<SignInExperience> {
  checkPasswordExpiration(patch.passwordExpiration);
  const current = await getSignInExperience();
  const length = { ...current.passwordPolicy.length, ...patch.passwordPolicy?.length };
  if (length.min > length.max) throw invalidInput('passwordPolicy.length', 'min must not exceed max');
  const username = {
    ...current.usernamePolicy,
    ...patch.usernamePolicy,
    allowedChars: { ...current.usernamePolicy.allowedChars, ...patch.usernamePolicy?.allowedChars },
  };
  if (username.minLength > username.maxLength) throw invalidInput('usernamePolicy.maxLength', 'Minimum length cannot exceed maximum length.');
  const { lowercase, uppercase, underscore } = username.allowedChars;
  if (!lowercase && !uppercase && !underscore) {
    throw invalidInput('usernamePolicy.allowedChars', 'At least one of lowercase, uppercase, or underscore must be enabled. Usernames cannot start with a number, so numbers alone are not allowed.');
  }
  if (current.usernamePolicy.caseSensitive && !username.caseSensitive) await assertNoCaseConflicts();
  const signInMode = patch.signInMode === undefined ? current.signInMode : patch.signInMode === 'SignIn' ? 'SignIn' : 'SignInAndRegister';
  return setSignInExperience({ signInMode, passwordPolicy: { length }, usernamePolicy: username });
}

/** Logto refuses case-insensitive usernames while two users' usernames differ only by case (409). */
async function assertNoCaseConflicts(): Promise<void> {
  const groups = await db().$queryRaw<{ name: string }[]>`SELECT lower("username") AS "name" FROM "User" WHERE "username" IS NOT NULL GROUP BY lower("username") HAVING count(*) > 1 LIMIT 5`;
  if (groups.length > 0) {
    throw new DomainError('state_conflict', 'sign_in_experiences.username_policy_case_conflicts_exist', 'Cannot switch to case-insensitive usernames while usernames that differ only by case exist. Resolve the conflicts and try again.', 'usernamePolicy.caseSensitive');
  }
}

export const signUpEnabled = (s: SignInExperience) => s.signInMode === 'SignInAndRegister';

/** Whether usernames are unique regardless of case (usernamePolicy.caseSensitive: false). */
export async function usernamesIgnoreCase(): Promise<boolean> {
  return !(await getSignInExperience()).usernamePolicy.caseSensitive;
}
