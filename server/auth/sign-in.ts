// The console's credential check, called by next-auth's Credentials provider: throttle, verify, audit.
import { audit } from '../services/audit/index.ts';
import { ensureBootstrapAdmin, verifyAdministrator } from '../services/administrators.ts';
import type { AdministratorView } from '../schemas/administrators.ts';
import { lockedFor, recordFailure, recordSuccess, throttleKeys } from './throttle.ts';

export class SignInThrottled extends Error {
  override name = 'SignInThrottled';
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(`Too many failed sign-in attempts. Try again in ${retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : `${minutes} minute${minutes === 1 ? '' : 's'}`}.`);
  }
}

type Meta = { ip: string | null; userAgent?: string };

/** The administrator for these credentials, or null; throws SignInThrottled while locked out. */
export async function signInAdministrator(email: string, password: string, meta: Meta): Promise<AdministratorView | null> {
  await ensureBootstrapAdmin();
  const keys = throttleKeys(email, meta.ip);
  const record = (result: 'Success' | 'Error', extra: Record<string, unknown>) =>
    audit({ key: 'Console.SignIn', result, email: email.trim().toLowerCase().slice(0, 254), ip: meta.ip, userAgent: meta.userAgent, ...extra });

  const locked = await lockedFor(keys);
  if (locked > 0) {
    await record('Error', { error: { code: 'throttled', description: `locked for ${locked} s` } });
    throw new SignInThrottled(locked);
  }
  const admin = await verifyAdministrator(email, password);
  if (!admin) {
    await recordFailure(keys);
    await record('Error', { error: { code: 'invalid_credentials' } });
    return null;
  }
  await recordSuccess(keys);
  await record('Success', { administratorId: admin.id });
  return admin;
}
