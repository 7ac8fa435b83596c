// Logto's Experience API (the subset for password sign-in and username registration) on top of the
// interaction service: PUT /api/experience starts (or restarts) the experience of the interaction in the
// browser's `_interaction` cookie; verification records prove who someone is; identification picks the
// user (Register: creates it); submit signs them in (new session, PostSignIn/PostRegister hooks) and
// answers where the browser goes next: /oidc/auth/:uid, which issues the code.
import { env } from '../../env.ts';
import { db } from '../../db/index.ts';
import { hashPassword, randomId } from '../crypto.ts';
import { DomainError } from '../errors.ts';
import { findInteraction, startSession, type InteractionView, type RequestMeta } from '../interaction/index.ts';
import { auditInteraction } from '../interaction/events.ts';
import { checkPassword, findUserByIdentifier } from '../sign-in/password.ts';
import type { NewSession } from '../sign-in/sessions.ts';
import { getSignInExperience, signUpEnabled, type UsernamePolicy } from '../sign-in/settings.ts';
import { clearIdentifierFailures, lockedFor, recordFailure, signInThrottleKeys } from '../sign-in/throttle.ts';
import { createUser } from '../users.ts';
import { USERNAME_PATTERN } from '../../schemas/users.ts';
import { ExperienceError, identifierNotFound, interactionNotFound, invalidCredentials, sessionNotFound, verificationNotFound } from './errors.ts';
import { freshState, loadState, MAX_VERIFICATIONS, saveState, type ExperienceState, type InteractionEvent, type VerificationRecord } from './state.ts';

export { ExperienceError } from './errors.ts';
export { INTERACTION_EVENTS, type InteractionEvent } from './state.ts';

export type Identifier = { type: 'username' | 'email' | 'phone'; value: string };

type Live = { view: InteractionView; state: ExperienceState };

async function live(uid: string | undefined): Promise<Live> {
  const view = uid ? await findInteraction(uid) : null;
  if (!view) throw sessionNotFound();
  const state = await loadState(view.id);
  if (!state) throw interactionNotFound();
  return { view, state };
}

async function save(uid: string, state: ExperienceState): Promise<void> {
  if (!(await saveState(uid, state))) throw sessionNotFound();
}

export async function startExperience(uid: string | undefined, event: InteractionEvent): Promise<void> {
  const view = uid ? await findInteraction(uid) : null;
  if (!view) throw sessionNotFound();
  if (event === 'Register') await assertSignUpEnabled();
  await save(view.id, freshState(event));
}

export async function changeEvent(uid: string | undefined, event: InteractionEvent): Promise<void> {
  const { view, state } = await live(uid);
  if (event === 'Register') await assertSignUpEnabled();
  // Switching events keeps the verifications (Logto's rule) but drops whom a previous event identified.
  await save(view.id, { ...state, event, userId: undefined });
}

async function assertSignUpEnabled(): Promise<void> {
  if (!signUpEnabled(await getSignInExperience())) throw new ExperienceError(403, 'auth.forbidden', 'Registration is not enabled for this sign-in experience.');
}

function addVerification(state: ExperienceState, record: VerificationRecord): ExperienceState {
  return { ...state, verifications: [...state.verifications, record].slice(-MAX_VERIFICATIONS) };
}

/** POST /verification/password: the identifier's user and their password, throttled per identifier and IP. */
export async function verifyPassword(uid: string | undefined, identifier: Identifier, password: string, meta: RequestMeta): Promise<string> {
  const { view, state } = await live(uid);
  const keys = signInThrottleKeys(identifier.value, meta.ip);
  const locked = await lockedFor(keys);
  if (locked > 0) {
    throw new ExperienceError(429, 'session.verification_blocked_too_many_attempts', `Too many attempts. Try again in ${locked} seconds.`, { 'retry-after': String(locked) });
  }
  // Sigil identifies people by username or email; a phone number finds no one (same answer, same work).
  const user = identifier.type === 'phone' ? null : await checkPassword(identifier.value, password);
  if (!user || (identifier.type === 'email') !== identifier.value.includes('@')) {
    await recordFailure(keys);
    await auditInteraction(view, meta, { key: 'Interaction.SignIn.Submit', result: 'Error', error: { code: 'session.invalid_credentials' }, identifier: identifier.value.trim().slice(0, 128) });
    throw invalidCredentials();
  }
  await clearIdentifierFailures(keys);
  const id = randomId();
  await save(view.id, addVerification(state, { id, type: 'Password', userId: user.id }));
  return id;
}

async function checkNewPassword(password: string): Promise<string> {
  const { min, max } = (await getSignInExperience()).passwordPolicy.length;
  if (password.length < min || password.length > max) {
    throw new ExperienceError(422, 'password.rejected', `The password must be ${min} to ${max} characters long.`);
  }
  return hashPassword(password);
}

/** Logto's username policy rules for end users registering (administrators are not bound); its violation names. */
function usernamePolicyViolation(username: string, policy: UsernamePolicy): string | undefined {
  if (username.length < policy.minLength) return 'too_short';
  if (username.length > policy.maxLength) return 'too_long';
  const { lowercase, uppercase, numbers, underscore } = policy.allowedChars;
  if (!uppercase && /[A-Z]/.test(username)) return 'uppercase_not_allowed';
  if (!lowercase && /[a-z]/.test(username)) return 'lowercase_not_allowed';
  if (!numbers && /[0-9]/.test(username)) return 'numbers_not_allowed';
  if (!underscore && username.includes('_')) return 'underscore_not_allowed';
  return undefined;
}

async function checkNewUsername(username: string): Promise<void> {
  if (!USERNAME_PATTERN.test(username) || username.length > 128) throw new ExperienceError(400, 'guard.invalid_input', 'Invalid body: identifier.value: not a valid username');
  const violation = usernamePolicyViolation(username, (await getSignInExperience()).usernamePolicy);
  if (violation) throw new ExperienceError(422, `user.username_${violation}`, `The username violates the username policy (${violation.replaceAll('_', ' ')}).`);
  if (await findUserByIdentifier(username)) throw new ExperienceError(422, 'user.username_already_in_use', 'This username is already in use.');
}

/** POST /verification/new-password-identity: a username nobody has, and a password the policy accepts. */
export async function newPasswordIdentity(uid: string | undefined, identifier: Identifier, password: string): Promise<string> {
  const { view, state } = await live(uid);
  if (identifier.type !== 'username') throw new ExperienceError(400, 'guard.invalid_input', 'Invalid body: identifier.type: only username is supported');
  await checkNewUsername(identifier.value);
  const passwordHash = await checkNewPassword(password);
  const id = randomId();
  await save(view.id, addVerification(state, { id, type: 'NewPasswordIdentity', username: identifier.value, passwordHash }));
  return id;
}

/** POST /profile (Register): username and password typed step by step. */
export async function updateProfile(uid: string | undefined, input: { type: 'username' | 'password'; value: string }): Promise<void> {
  const { view, state } = await live(uid);
  if (state.event !== 'Register' && !state.userId) throw identifierNotFound();
  if (state.event !== 'Register') throw new ExperienceError(400, 'session.not_supported_for_forgot_password', 'Profile updates are supported while registering only.');
  const profile = { ...state.profile };
  if (input.type === 'username') {
    await checkNewUsername(input.value);
    profile.username = input.value;
  } else profile.passwordHash = await checkNewPassword(input.value);
  await save(view.id, { ...state, profile });
}

/** POST /identification: SignIn names the verified user; Register creates the account (201 in Logto). */
export async function identify(uid: string | undefined, verificationId: string | undefined, meta: RequestMeta): Promise<'created' | 'identified'> {
  const { view, state } = await live(uid);
  const record = verificationId ? state.verifications.find((v) => v.id === verificationId) : undefined;
  if (verificationId && !record) throw verificationNotFound();
  if (state.event === 'Register') {
    if (state.userId) throw new ExperienceError(400, 'session.identifier_already_identified', 'This interaction has already created its user.');
    await assertSignUpEnabled();
    const username = record?.type === 'NewPasswordIdentity' ? record.username : state.profile.username;
    const passwordHash = record?.type === 'NewPasswordIdentity' ? record.passwordHash : state.profile.passwordHash;
    if (!username) throw new ExperienceError(422, 'user.missing_profile', 'A username is required to register.');
    const userId = await createAccount(username, passwordHash, meta);
    await save(view.id, { ...state, userId });
    return 'created';
  }
  if (!verificationId) throw new ExperienceError(400, 'guard.invalid_input', 'Invalid body: verificationId: required');
  if (record?.type !== 'Password') throw verificationNotFound();
  const user = await db().user.findUnique({ where: { id: record.userId } });
  if (!user) throw identifierNotFound();
  if (user.isSuspended) throw new ExperienceError(401, 'user.suspended', 'This account is suspended.');
  await save(view.id, { ...state, userId: user.id });
  return 'identified';
}

async function createAccount(username: string, passwordHash: string | undefined, meta: RequestMeta): Promise<string> {
  try {
    const actor = { type: 'system' as const, id: 'system' as const, ip: meta.ip ?? undefined, userAgent: meta.userAgent ?? undefined };
    const created = await createUser(actor, { username });
    // The hash was made when the password was checked (no plaintext kept since); store it as is.
    if (passwordHash) await db().user.update({ where: { id: created.id }, data: { passwordHash } });
    return created.id;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'unprocessable') throw new ExperienceError(422, 'user.username_already_in_use', 'This username is already in use.');
    throw error;
  }
}

/** POST /submit: sign the identified user in; the browser then goes to /oidc/auth/:uid for its code. */
export async function submit(uid: string | undefined, meta: RequestMeta): Promise<{ redirectTo: string; session: NewSession }> {
  const { view, state } = await live(uid);
  if (!state.userId) throw identifierNotFound();
  const user = await db().user.findUnique({ where: { id: state.userId } });
  if (!user) throw identifierNotFound();
  if (user.isSuspended) throw new ExperienceError(401, 'user.suspended', 'This account is suspended.');
  const session = await startSession(view, user, meta, state.event === 'Register' ? 'PostRegister' : 'PostSignIn');
  if (!session) throw sessionNotFound();
  return { redirectTo: `${env().issuer}/auth/${view.id}`, session };
}
