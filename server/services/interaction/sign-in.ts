// Signing a person in for an interaction: by password, or by registering (when sign-up is enabled). Both
// end the same way, in one transaction: a NEW session (never a value the browser brought along: no session
// fixation), the interaction's login result, the audit record and the webhook outbox rows.
import { db } from '../../db/index.ts';
import { dataChange } from '../transaction.ts';
import { DomainError } from '../errors.ts';
import { createUser } from '../users.ts';
import { provisionByEmailDomain } from '../organizations/jit.ts';
import { EMAIL_PATTERN, USERNAME_PATTERN } from '../../schemas/users.ts';
import { checkPassword } from '../sign-in/password.ts';
import { listCookieKeys } from '../sign-in/cookie-keys.ts';
import { createSession, type NewSession } from '../sign-in/sessions.ts';
import { getSignInExperience, signUpEnabled } from '../sign-in/settings.ts';
import { clearIdentifierFailures, lockedFor, recordFailure, signInThrottleKeys } from '../sign-in/throttle.ts';
import { auditInteraction, auditInteractionInTx, enqueueInteractionHook } from './events.ts';
import { findInteraction, recordLogin } from './store.ts';
import type { InteractionView, RequestMeta } from './types.ts';
import type { UserRow } from '../users/response.ts';

export type Credentials = { identifier: string; password: string };

export type SignInFailure = 'expired' | 'invalid_credentials' | 'throttled' | 'suspended';
export type RegisterFailure = 'expired' | 'sign_up_disabled' | 'invalid_identifier' | 'invalid_password' | 'identifier_in_use';
export type Outcome<F> = { ok: true; session: NewSession } | { ok: false; reason: F; retryAfterSeconds?: number };

/** Audited identifiers are kept short; a password typed into the identifier field is cut down too. */
const auditedIdentifier = (identifier: string) => identifier.trim().slice(0, 128);

export async function signInWithPassword(uid: string, credentials: Credentials, meta: RequestMeta): Promise<Outcome<SignInFailure>> {
  const view = await findInteraction(uid);
  if (!view) return { ok: false, reason: 'expired' };
  const keys = signInThrottleKeys(credentials.identifier, meta.ip);
  const fail = (reason: SignInFailure, extra: Record<string, unknown> = {}) =>
    auditInteraction(view, meta, { key: 'Interaction.SignIn.Submit', result: 'Error', error: { code: reason }, identifier: auditedIdentifier(credentials.identifier), ...extra });

  const locked = await lockedFor(keys);
  if (locked > 0) {
    await fail('throttled', { retryAfterSeconds: locked });
    return { ok: false, reason: 'throttled', retryAfterSeconds: locked };
  }
  const user = await checkPassword(credentials.identifier, credentials.password);
  if (!user) {
    await recordFailure(keys);
    await fail('invalid_credentials');
    return { ok: false, reason: 'invalid_credentials' };
  }
  if (user.isSuspended) {
    await fail('suspended', { userId: user.id });
    return { ok: false, reason: 'suspended' };
  }
  await clearIdentifierFailures(keys);
  const session = await startSession(view, user, meta, 'PostSignIn');
  return session ? { ok: true, session } : { ok: false, reason: 'expired' };
}

export async function register(uid: string, credentials: Credentials, meta: RequestMeta): Promise<Outcome<RegisterFailure>> {
  const view = await findInteraction(uid);
  if (!view) return { ok: false, reason: 'expired' };
  const settings = await getSignInExperience();
  if (!signUpEnabled(settings)) return { ok: false, reason: 'sign_up_disabled' };
  const identifier = credentials.identifier.trim();
  const isEmail = identifier.includes('@');
  if (!(isEmail ? EMAIL_PATTERN.test(identifier) && identifier.length <= 320 : USERNAME_PATTERN.test(identifier) && identifier.length <= 128)) {
    return { ok: false, reason: 'invalid_identifier' };
  }
  const { min, max } = settings.passwordPolicy.length;
  if (credentials.password.length < min || credentials.password.length > max) return { ok: false, reason: 'invalid_password' };

  let created;
  try {
    created = await createUser(
      { type: 'system', id: 'system', ip: meta.ip ?? undefined, userAgent: meta.userAgent ?? undefined },
      isEmail ? { primaryEmail: identifier, password: credentials.password } : { username: identifier, password: credentials.password },
    );
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'unprocessable') {
      await auditInteraction(view, meta, { key: 'Interaction.Register.Submit', result: 'Error', error: { code: 'identifier_in_use' }, identifier: auditedIdentifier(identifier) });
      return { ok: false, reason: 'identifier_in_use' };
    }
    throw error;
  }
  const user = await db().user.findUniqueOrThrow({ where: { id: created.id } });
  const session = await startSession(view, user, meta, 'PostRegister');
  return session ? { ok: true, session } : { ok: false, reason: 'expired' };
}

/** The new session, the interaction's login, the audit record and the hook deliveries: one transaction. */
export async function startSession(view: InteractionView, user: UserRow, meta: RequestMeta, event: 'PostSignIn' | 'PostRegister'): Promise<NewSession | null> {
  // The cookie keys may need their first write: never inside the transaction (SQLite has one writer).
  await listCookieKeys();
  const session = await dataChange(async (tx) => {
    const created = await createSession(tx, { userId: user.id, ip: meta.ip, userAgent: meta.userAgent });
    if (!(await recordLogin(tx, view.id, { userId: user.id, sessionId: created.id, authTime: created.authTime }))) return null;
    const updated = await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: created.authTime } });
    // A new user joins the organizations that provision its email domain just in time.
    if (event === 'PostRegister') {
      await provisionByEmailDomain(tx, { type: 'system', id: 'system', ip: meta.ip ?? undefined, userAgent: meta.userAgent ?? undefined }, user.id, user.primaryEmail);
    }
    await auditInteractionInTx(tx, view, meta, {
      key: event === 'PostSignIn' ? 'Interaction.SignIn.Submit' : 'Interaction.Register.Submit',
      result: 'Success',
      userId: user.id,
      sessionId: created.id,
    });
    await enqueueInteractionHook(tx, event, view, updated, meta);
    return created;
  });
  return session;
}
