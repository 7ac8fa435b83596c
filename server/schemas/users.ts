// Users (end users of the tenant) in Logto's wire shapes: same field names, same identifier rules.
import { z } from 'zod';
import { epochMs, id, jsonObject } from './common.ts';

/** Logto's `usernameRegEx`: a letter or underscore first, then word characters. */
export const USERNAME_PATTERN = /^[A-Z_a-z]\w*$/;
/** Logto's `emailRegEx` shape (something@host.tld), without spaces. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Digits with an optional `+`; the service parses it as an E.164 number (422 `user.invalid_phone` if it is not one). */
export const PHONE_PATTERN = /^\+?\d{1,20}$/;

export const username = z.string().max(128).regex(USERNAME_PATTERN, 'must start with a letter or _ and contain only letters, digits and _');
export const primaryEmail = z.string().max(320).regex(EMAIL_PATTERN, 'must be an email address');
export const primaryPhone = z.string().regex(PHONE_PATTERN, 'must be a phone number: optional + and digits');
/** Logto: a URL, or '' to clear. */
export const avatar = z.union([z.url({ protocol: /^https?$/ }).max(2048), z.literal('')]);
export const password = z.string().min(1).max(256);
/** Logto's `UsersPasswordEncryptionMethod`: the digests `POST /users` can import. */
export const IMPORTED_ALGORITHMS = ['Argon2i', 'Argon2id', 'Argon2d', 'SHA1', 'SHA256', 'MD5', 'Bcrypt', 'Legacy'] as const;
export type ImportedAlgorithm = (typeof IMPORTED_ALGORITHMS)[number];

const profileString = z.string().max(2048);
/** OIDC standard claims kept on the user, as Logto's `userProfileGuard`. */
export const userProfile = z
  .object({
    familyName: profileString,
    givenName: profileString,
    middleName: profileString,
    nickname: profileString,
    preferredUsername: profileString,
    profile: profileString,
    website: profileString,
    gender: profileString,
    birthdate: profileString,
    zoneinfo: profileString,
    locale: profileString,
    address: z
      .object({
        formatted: profileString,
        streetAddress: profileString,
        locality: profileString,
        region: profileString,
        postalCode: profileString,
        country: profileString,
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type UserProfile = z.infer<typeof userProfile>;

export const userCreate = z
  .object({
    username,
    primaryEmail,
    primaryPhone,
    name: z.string().max(256),
    avatar: avatar.nullable(),
    password,
    /** Logto's import: a digest from another system, verified with `passwordAlgorithm` and upgraded at the next check. */
    passwordDigest: z.string().min(1).max(256),
    passwordAlgorithm: z.enum(IMPORTED_ALGORITHMS),
    customData: jsonObject,
    profile: userProfile,
  })
  .partial()
  .strict();
export type UserCreate = z.infer<typeof userCreate>;

/** PATCH /users/:userId — identifiers may be cleared with null or '' (Logto); customData and profile are replaced. */
export const userPatch = z
  .object({
    username: z.union([username, z.literal('')]).nullable(),
    primaryEmail: z.union([primaryEmail, z.literal('')]).nullable(),
    primaryPhone: z.union([primaryPhone, z.literal('')]).nullable(),
    name: z.string().max(256).nullable(),
    avatar: avatar.nullable(),
    customData: jsonObject,
    profile: userProfile,
  })
  .partial()
  .strict();
export type UserPatch = z.infer<typeof userPatch>;

export const customDataBody = z.object({ customData: jsonObject }).strict();
export const isSuspendedBody = z.object({ isSuspended: z.boolean() }).strict();
export const passwordBody = z.object({ password }).strict();
/** Logto's verify: an empty password is 400 `guard.invalid_input`. */
export const passwordVerifyBody = z.object({ password: z.string().min(1).max(256) }).strict();
/** GET /users/:userId options (Logto: `'true'` / anything else). */
export const userGetQuery = z.object({
  includeSsoIdentities: z.string().max(10).optional(),
  includePasswordHash: z.string().max(10).optional(),
});
export const userIdsBody = z.object({ userIds: z.array(id).min(1).max(1000) }).strict();

export const userResponse = z.object({
  id,
  username: z.string().nullable(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  name: z.string().nullable(),
  avatar: z.string().nullable(),
  customData: jsonObject,
  profile: userProfile,
  /** Social identities; Sigil has no social sign-in yet, so always `{}` (the shape Logto clients expect). */
  identities: z.record(z.string(), z.unknown()),
  lastSignInAt: epochMs.nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
  isSuspended: z.boolean(),
  hasPassword: z.boolean(),
  /** Only with `includeSsoIdentities=true`: Sigil has no enterprise SSO, so `[]`. */
  ssoIdentities: z.array(z.unknown()).optional(),
  /** Only with `includePasswordHash=true` (callers holding `all`). */
  passwordDigest: z.string().nullable().optional(),
  passwordAlgorithm: z.string().nullable().optional(),
});
export type UserResponse = z.infer<typeof userResponse>;

/**
 * Logto's `search` takes SQL-like patterns (`%foo%`); Sigil treats the value as a case-insensitive
 * substring, so surrounding `%` are stripped and both spellings match the same users.
 */
export const userListQuery = z.object({
  search: z.string().max(200).optional(),
  /** Logto: leave out the users that already have this role (the console's "assign users" picker). */
  excludeRoleId: id.optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const userSearchQueryValue = z.union([z.string().max(256), z.array(z.string().max(256)).max(100)]);
/**
 * The Management API's GET /users: Logto's advanced search keys (`search`, `search.<field>`, `mode`,
 * `mode.<field>`, `joint`, `isCaseSensitive`) pass through to the service, which validates them.
 */
export const userSearchQuery = z
  .object({ excludeRoleId: id.optional(), excludeOrganizationId: id.optional(), includePasswordHash: z.string().max(10).optional() })
  .catchall(userSearchQueryValue);
