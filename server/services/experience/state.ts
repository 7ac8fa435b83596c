// The Experience API's per-interaction state, kept in the interaction row (`experience` column) so that any
// instance of the protocol process can serve the next step. What it holds is Logto's model: the event,
// verification records (a password check that named a user, or a new identity with its password's HASH:
// no plaintext is ever stored) and, once identified, the user.
import { z } from 'zod';
import { db } from '../../db/index.ts';

export const INTERACTION_EVENTS = ['SignIn', 'Register', 'ForgotPassword'] as const;
export type InteractionEvent = (typeof INTERACTION_EVENTS)[number];

const verification = z.discriminatedUnion('type', [
  z.object({ id: z.string(), type: z.literal('Password'), userId: z.string() }),
  z.object({ id: z.string(), type: z.literal('NewPasswordIdentity'), username: z.string(), passwordHash: z.string() }),
]);
export type VerificationRecord = z.infer<typeof verification>;

const experienceState = z.object({
  event: z.enum(INTERACTION_EVENTS),
  verifications: z.array(verification),
  /** Register: the profile gathered by POST /profile before identification creates the user. */
  profile: z.object({ username: z.string().optional(), passwordHash: z.string().optional() }),
  userId: z.string().optional(),
});
export type ExperienceState = z.infer<typeof experienceState>;

export const freshState = (event: InteractionEvent): ExperienceState => ({ event, verifications: [], profile: {} });

/** The state of a live interaction, or null when none was started (or it is unreadable). */
export async function loadState(uid: string): Promise<ExperienceState | null> {
  const row = await db().interaction.findUnique({ where: { id: uid }, select: { experience: true } });
  const parsed = experienceState.safeParse(row?.experience ?? null);
  return parsed.success ? parsed.data : null;
}

export async function saveState(uid: string, state: ExperienceState): Promise<boolean> {
  const { count } = await db().interaction.updateMany({ where: { id: uid, completedAt: null }, data: { experience: state } });
  return count === 1;
}

/** At most a few records per interaction: a client looping on verification cannot grow the row. */
export const MAX_VERIFICATIONS = 10;
