// Console administrators: accounts with Argon2i password hashes (older scrypt ones still verify), the one-time first-administrator setup,
// and the optional bootstrap administrator from SIGIL_BOOTSTRAP_ADMIN_EMAIL / _PASSWORD.
// Administrators are not a Management API entity (no webhooks); their changes are audited in the same
// transaction as the change.
import { db, type Tx } from '../db/index.ts';
import { env } from '../env.ts';
import type { AdministratorCreate, AdministratorView, PasswordChange } from '../schemas/administrators.ts';
import type { Actor } from './actor.ts';
import { BOOTSTRAP } from './actor.ts';
import { auditInTx } from './audit/index.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, randomId, verifyPassword } from './crypto.ts';
import { DomainError, conflict, forbidden, invalidInput, isUniqueViolation, notFound, unprocessable } from './errors.ts';

/**
 * Written in the same transaction as the first administrator. Its primary key makes "create the first
 * administrator" atomic on every database: of two concurrent setups, the second insert fails.
 */
const FIRST_ADMIN_GUARD = 'console.first-administrator';

type Row = { id: string; email: string; createdAt: Date; lastSignInAt: Date | null };

export function toAdministratorView(row: Row): AdministratorView {
  return { id: row.id, email: row.email, createdAt: row.createdAt.getTime(), lastSignInAt: row.lastSignInAt?.getTime() ?? null };
}

const actorFacts = (actor: Actor) => ({ actor: { type: actor.type, id: actor.id }, ip: actor.ip, userAgent: actor.userAgent });

export async function hasAdministrator(): Promise<boolean> {
  return (await db().administrator.findFirst({ select: { id: true } })) !== null;
}

async function insert(tx: Tx, actor: Actor, input: AdministratorCreate, passwordHash: string): Promise<Row> {
  const row = await tx.administrator
    .create({ data: { id: randomId(), email: input.email, passwordHash } })
    .catch((e) => {
      throw isUniqueViolation(e) ? conflict('administrator', 'email', input.email) : e;
    });
  await auditInTx(tx, { key: 'Administrator.Created', result: 'Success', ...actorFacts(actor), administratorId: row.id, email: row.email });
  return row;
}

/** The fresh-install screen: succeeds only while no administrator exists, once. */
export async function createFirstAdministrator(actor: Actor, input: AdministratorCreate): Promise<AdministratorView> {
  const passwordHash = await hashPassword(input.password); // ~0.1 s of Argon2i: outside the transaction
  const alreadyDone = () => forbidden('administrator.already_initialized', 'The first administrator already exists; sign in instead.');
  try {
    return toAdministratorView(
      await db().$transaction(async (tx) => {
        await tx.setting.create({ data: { key: FIRST_ADMIN_GUARD, value: { at: new Date().toISOString() } } });
        if ((await tx.administrator.count()) > 0) throw alreadyDone();
        return insert(tx, actor, input, passwordHash);
      }),
    );
  } catch (error) {
    // The guard row exists: another setup committed first (an email clash is already a DomainError).
    if (isUniqueViolation(error)) throw alreadyDone();
    throw error;
  }
}

let bootstrapDone: Promise<void> | undefined;

/**
 * Creates the administrator named by SIGIL_BOOTSTRAP_ADMIN_EMAIL when no administrator has that email.
 * An existing account is left alone (its password may have been changed in the console since).
 * Idempotent and safe when several instances start at once; memoised per process.
 */
export function ensureBootstrapAdmin(): Promise<void> {
  bootstrapDone ??= (async () => {
    const configured = env().bootstrapAdmin;
    if (!configured) return;
    const email = configured.email.trim().toLowerCase();
    if (await db().administrator.findUnique({ where: { email }, select: { id: true } })) return;
    const passwordHash = await hashPassword(configured.password);
    try {
      await db().$transaction(async (tx) => {
        await insert(tx, BOOTSTRAP, { email, password: configured.password }, passwordHash);
        // The one-time setup screen must not appear once an administrator exists.
        if (!(await tx.setting.findUnique({ where: { key: FIRST_ADMIN_GUARD } }))) {
          await tx.setting.create({ data: { key: FIRST_ADMIN_GUARD, value: { at: new Date().toISOString(), bootstrap: true } } });
        }
      });
    } catch (error) {
      // Another instance created it (or the guard row) at the same moment.
      if (!(error instanceof DomainError && error.kind === 'conflict') && !isUniqueViolation(error)) throw error;
    }
  })().catch((error) => {
    bootstrapDone = undefined;
    throw error;
  });
  return bootstrapDone;
}

/**
 * Checks an email and password. Unknown emails cost the same hashing work as known ones, so response
 * time does not tell which emails are administrators. Records the sign-in time on success.
 */
export async function verifyAdministrator(email: string, password: string): Promise<AdministratorView | null> {
  const normalized = email.trim().toLowerCase();
  const row = await db().administrator.findUnique({ where: { email: normalized } });
  const ok = await verifyPassword(password.slice(0, 256), row?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!row || !ok) return null;
  const updated = await db().administrator.update({ where: { id: row.id }, data: { lastSignInAt: new Date() } });
  return toAdministratorView(updated);
}

/** The session's administrator, if the account still exists. */
export async function findAdministrator(id: string): Promise<AdministratorView | null> {
  const row = await db().administrator.findUnique({ where: { id } });
  return row ? toAdministratorView(row) : null;
}

export async function listAdministrators(): Promise<AdministratorView[]> {
  const rows = await db().administrator.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map(toAdministratorView);
}

export async function createAdministrator(actor: Actor, input: AdministratorCreate): Promise<AdministratorView> {
  const passwordHash = await hashPassword(input.password);
  return toAdministratorView(await db().$transaction((tx) => insert(tx, actor, input, passwordHash)));
}

export async function deleteAdministrator(actor: Actor, id: string): Promise<void> {
  if (actor.type === 'administrator' && actor.id === id) {
    throw unprocessable('administrator.cannot_delete_self', 'You cannot delete your own account; ask another administrator.');
  }
  await db().$transaction(async (tx) => {
    const row = await tx.administrator.findUnique({ where: { id } });
    if (!row) throw notFound('administrator', id);
    if ((await tx.administrator.count()) <= 1) {
      throw unprocessable('administrator.last_administrator', 'The last administrator cannot be deleted.');
    }
    await tx.administrator.delete({ where: { id } });
    await auditInTx(tx, { key: 'Administrator.Deleted', result: 'Success', ...actorFacts(actor), administratorId: id, email: row.email });
  });
}

export async function changeOwnPassword(actor: Actor & { type: 'administrator' }, input: PasswordChange): Promise<void> {
  const row = await db().administrator.findUnique({ where: { id: actor.id } });
  if (!row) throw notFound('administrator', actor.id);
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw invalidInput('currentPassword', 'is not your current password');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db().$transaction(async (tx) => {
    await tx.administrator.update({ where: { id: row.id }, data: { passwordHash } });
    await auditInTx(tx, { key: 'Administrator.PasswordChanged', result: 'Success', ...actorFacts(actor), administratorId: row.id });
  });
}
