// An application's named secrets. Verification always uses the keyed hash; with
// SIGIL_CLIENT_SECRETS=retrievable a new secret is also sealed under the instance key so that it can be
// listed with its value, as Logto does (Logto's own tests and tools read secrets back).
import { db, type Tx } from '../db/index.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';
import type { SecretCreate } from '../schemas/applications.ts';
import type { Actor } from './actor.ts';
import { randomId, randomToken } from './crypto.ts';
import { DomainError, invalidInput, notFound, unprocessable } from './errors.ts';
import { emitDataEvent } from './events/index.ts';
import { openSecretValue, sealSecretValue, secretHash } from './instance-key.ts';
import { assertWithinCaller } from './privilege.ts';
import { configChange } from './transaction.ts';

// Public clients (SPA, Native) cannot keep a secret: they get none and sign users in with PKCE.
export const TYPES_WITH_SECRETS = new Set(['MachineToMachine', 'Traditional']);
export const DEFAULT_SECRET_NAME = 'Default secret';

export const secretsRetrievable = () => env().clientSecrets === 'retrievable';

type SecretRow = { id: string; applicationId: string; name: string; prefix: string; createdAt: Date; expiresAt: Date | null; sealedValue?: string | null };

export function toSecretResponse(row: SecretRow) {
  return {
    applicationId: row.applicationId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

/** The sealed value is bound to its row id, so it cannot be copied onto another secret. */
const sealAad = (secretId: string) => `sigil:app-secret:${secretId}`;

/**
 * Whether `actor` may read the app's secret values: a value is a way to act as the app, so (privilege rule)
 * only a caller holding every Management API scope the app holds may see it. Without an actor, never.
 */
async function mayReadValues(tx: Tx, actor: Actor | undefined, applicationId: string): Promise<boolean> {
  if (!actor || !secretsRetrievable()) return false;
  try {
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') return false;
    throw error;
  }
}

/** The value when it was kept (retrievable mode); a value that cannot be opened is left out, never guessed. */
async function withValue(row: SecretRow, showValue: boolean) {
  const response = toSecretResponse(row);
  if (!row.sealedValue || !showValue) return response;
  try {
    return { ...response, value: await openSecretValue(row.sealedValue, sealAad(row.id)) };
  } catch {
    log.warn({ applicationId: row.applicationId, secretName: row.name }, 'an application secret value cannot be unsealed; listed without it');
    return response;
  }
}

export async function newSecret(tx: Tx, applicationId: string, name: string, expiresAt: Date | null, value = randomToken()) {
  const id = randomId();
  const sealedValue = secretsRetrievable() ? await sealSecretValue(value, sealAad(id)) : null;
  const row = await tx.applicationSecret.create({
    data: { id, applicationId, name, hash: await secretHash(value), prefix: value.slice(0, 6), expiresAt, sealedValue },
  });
  return { row, value };
}

const nameExists = (name: string) =>
  new DomainError('conflict', 'application.secret_name_exists', `A secret named \`${name}\` already exists for this application.`, 'name');

/** With retrievable secrets, each listed with its `value` for a caller allowed to act as the app. */
export async function listSecrets(applicationId: string, actor?: Actor) {
  const tx = db() as unknown as Tx;
  if (!(await tx.application.findUnique({ where: { id: applicationId }, select: { id: true } }))) throw notFound('application', applicationId);
  const rows = await tx.applicationSecret.findMany({ where: { applicationId }, orderBy: { createdAt: 'asc' } });
  const show = await mayReadValues(tx, actor, applicationId);
  return Promise.all(rows.map((row) => withValue(row, show)));
}

export async function addSecret(actor: Actor, applicationId: string, input: SecretCreate) {
  return configChange(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: applicationId } });
    if (!app) throw notFound('application', applicationId);
    if (!TYPES_WITH_SECRETS.has(app.type)) {
      // Logto's code for this case (its database constraint refuses the row).
      throw unprocessable('entity.db_constraint_violated', `${app.type} applications have no secrets.`);
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalidInput('expiresAt', 'must be in the future');
    const existing = await tx.applicationSecret.findUnique({ where: { applicationId_name: { applicationId, name: input.name } } });
    if (existing) throw nameExists(input.name);
    // A new secret is a way to act as the app: only for callers holding what the app holds.
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    const { row, value } = await newSecret(tx, applicationId, input.name, expiresAt);
    const response = toSecretResponse(row);
    await emitDataEvent(tx, actor, { event: 'Application.Secret.Created', entity: 'Application', entityId: applicationId, after: response, applicationId });
    return { ...response, value };
  });
}

/** Logto's PATCH /applications/:id/secrets/:name: rename a secret (its value never changes). */
export async function renameSecret(actor: Actor, applicationId: string, name: string, newName: string) {
  return configChange(async (tx) => {
    const before = await tx.applicationSecret.findUnique({ where: { applicationId_name: { applicationId, name } } });
    if (!before) throw notFound('application secret', name);
    if (newName !== name && (await tx.applicationSecret.findUnique({ where: { applicationId_name: { applicationId, name: newName } } }))) {
      throw nameExists(newName);
    }
    const row = await tx.applicationSecret.update({ where: { id: before.id }, data: { name: newName } });
    // The catalog has no secret-renamed event; a rename is a change of the app's settings.
    await emitDataEvent(tx, actor, {
      event: 'Application.Data.Updated', entity: 'Application', entityId: applicationId,
      before: toSecretResponse(before), after: toSecretResponse(row), applicationId,
    });
    return withValue(row, await mayReadValues(tx, actor, applicationId));
  });
}

export async function deleteSecret(actor: Actor, applicationId: string, name: string): Promise<void> {
  await configChange(async (tx) => {
    const row = await tx.applicationSecret.findUnique({ where: { applicationId_name: { applicationId, name } } });
    if (!row) throw notFound('application secret', name);
    await tx.applicationSecret.delete({ where: { id: row.id } });
    await emitDataEvent(tx, actor, { event: 'Application.Secret.Deleted', entity: 'Application', entityId: applicationId, before: toSecretResponse(row), applicationId });
  });
}

/** Replace every secret with a new default one (CLI `rotate-secret`); returns the new value once. */
export async function rotateSecrets(actor: Actor, applicationId: string) {
  return configChange(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: applicationId } });
    if (!app) throw notFound('application', applicationId);
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    await tx.applicationSecret.deleteMany({ where: { applicationId } });
    const { row, value } = await newSecret(tx, applicationId, `Rotated ${new Date().toISOString()}`, null);
    await emitDataEvent(tx, actor, { event: 'Application.Secret.Created', entity: 'Application', entityId: applicationId, after: toSecretResponse(row), applicationId });
    return { ...toSecretResponse(row), value };
  });
}
