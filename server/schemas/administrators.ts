import { z } from 'zod';

/** Console administrator emails are stored lower-cased, so sign-in is case-insensitive. */
export const administratorEmail = z.string().trim().toLowerCase().pipe(z.email('must be an email address')).pipe(z.string().max(254));

/** Same minimum as SIGIL_BOOTSTRAP_ADMIN_PASSWORD; the maximum bounds scrypt's input. */
export const administratorPassword = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters');

export const administratorCreate = z.object({ email: administratorEmail, password: administratorPassword });
export type AdministratorCreate = z.infer<typeof administratorCreate>;

export const passwordChange = z.object({ currentPassword: z.string().min(1).max(256), newPassword: administratorPassword });
export type PasswordChange = z.infer<typeof passwordChange>;

export type AdministratorView = { id: string; email: string; createdAt: number; lastSignInAt: number | null };
