// Applications, their secrets and their role assignments.
import { checkDeviceFlowOnCreate, checkDeviceFlowOnPatch } from './sign-in/device-flow.ts';
import { db, dbProvider, type Tx } from '../db/index.ts';
import type {
  ApplicationCreate,
  ApplicationPatch,
  ApplicationResponse,
  SecretCreate,
} from '../schemas/applications.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { Actor } from './actor.ts';
import { randomId, randomToken } from './crypto.ts';
import { conflict, DomainError, invalidInput, isUniqueViolation, notFound, unprocessable } from './errors.ts';
import { oidcClientMetadataOf } from './clients.ts';
import { emitDataEvent } from './events/index.ts';
import { secretHash } from './instance-key.ts';
import { contains, skipTake } from './pages.ts';
import { assertWithinCaller } from './privilege.ts';
import { configChange } from './transaction.ts';

type AppRow = Awaited<ReturnType<Tx['application']['findUniqueOrThrow']>>;

export function toApplicationResponse(row: AppRow): ApplicationResponse {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type as ApplicationResponse['type'],
    oidcClientMetadata: oidcClientMetadataOf(row.oidcClientMetadata),
    customClientMetadata: (row.customClientMetadata ?? {}) as Record<string, unknown>,
    isThirdParty: row.isThirdParty,
    createdAt: row.createdAt.getTime(),
  };
}

export function toSecretResponse(row: { applicationId: string; name: string; prefix: string; createdAt: Date; expiresAt: Date | null }) {
  return {
    applicationId: row.applicationId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt?.getTime() ?? null,
  };
}

// Public clients (SPA, Native) cannot keep a secret: they get none and sign users in with PKCE.
const TYPES_WITH_SECRETS = new Set(['MachineToMachine', 'Traditional']);
/** Apps that sign users in, and so can be third-party (Logto's rule). */
const INTERACTIVE_TYPES = new Set(['Traditional', 'SPA', 'Native']);
export const DEFAULT_SECRET_NAME = 'Default secret';

async function newSecret(tx: Tx, applicationId: string, name: string, expiresAt: Date | null, value = randomToken()) {
  const row = await tx.applicationSecret.create({
    data: { id: randomId(), applicationId, name, hash: await secretHash(value), prefix: value.slice(0, 6), expiresAt },
  });
  return { row, value };
}

export async function createApplication(
  actor: Actor,
  input: ApplicationCreate,
  options: { id?: string; secret?: string } = {},
): Promise<ApplicationResponse & { secret: string }> {
  if (input.isThirdParty && !INTERACTIVE_TYPES.has(input.type)) {
    throw new DomainError('invalid_input', 'application.invalid_third_party_application_type', 'Only Traditional, SPA and Native applications can be third-party.', 'isThirdParty');
  }
  checkDeviceFlowOnCreate(input.type, input.customClientMetadata);
  if (input.isThirdParty && input.customClientMetadata?.allowTokenExchange) {
    throw unprocessable('application.third_party_token_exchange', 'Third-party applications cannot use token exchange.', 'customClientMetadata.allowTokenExchange');
  }
  return configChange(async (tx) => {
    const row = await tx.application
      .create({
        data: {
          id: options.id ?? randomId(),
          name: input.name,
          description: input.description ?? null,
          type: input.type,
          isThirdParty: input.isThirdParty ?? false,
          oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [], ...input.oidcClientMetadata },
          customClientMetadata: { allowTokenExchange: false, ...input.customClientMetadata } as object,
        },
      })
      .catch((e) => {
        throw isUniqueViolation(e) ? conflict('application', 'id', options.id ?? '') : e;
      });
    let secret = '';
    if (TYPES_WITH_SECRETS.has(row.type)) {
      secret = (await newSecret(tx, row.id, DEFAULT_SECRET_NAME, null, options.secret)).value;
    }
    const response = toApplicationResponse(row);
    await emitDataEvent(tx, actor, { event: 'Application.Created', entity: 'Application', entityId: row.id, after: response, applicationId: row.id });
    return { ...response, secret };
  });
}

export async function listApplications(
  query: { search?: string; types?: string[] },
  page: Pagination,
): Promise<Page<ApplicationResponse>> {
  const name = contains(query.search, dbProvider());
  const where = {
    ...(query.types?.length ? { type: { in: query.types } } : {}),
    ...(name ? { OR: [{ name }, { id: name }, { description: name }] } : {}),
  };
  const [total, rows] = await Promise.all([
    db().application.count({ where }),
    db().application.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows.map(toApplicationResponse) };
}

export async function getApplication(id: string): Promise<ApplicationResponse> {
  const row = await db().application.findUnique({ where: { id } });
  if (!row) throw notFound('application', id);
  return toApplicationResponse(row);
}

export async function updateApplication(actor: Actor, id: string, patch: ApplicationPatch): Promise<ApplicationResponse> {
  return configChange(async (tx) => {
    const before = await tx.application.findUnique({ where: { id } });
    if (!before) throw notFound('application', id);
    checkDeviceFlowOnPatch(before.customClientMetadata, patch.customClientMetadata);
    const metadata = patch.customClientMetadata
      ? { ...(before.customClientMetadata as object), ...patch.customClientMetadata }
      : undefined;
    if (metadata && (metadata as { allowTokenExchange?: boolean }).allowTokenExchange && before.isThirdParty) {
      throw unprocessable('application.third_party_token_exchange', 'Third-party applications cannot use token exchange.', 'customClientMetadata.allowTokenExchange');
    }
    const row = await tx.application.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(metadata ? { customClientMetadata: metadata as object } : {}),
        ...(patch.oidcClientMetadata ? { oidcClientMetadata: { ...oidcClientMetadataOf(before.oidcClientMetadata), ...patch.oidcClientMetadata } } : {}),
      },
    });
    const after = toApplicationResponse(row);
    await emitDataEvent(tx, actor, {
      event: 'Application.Data.Updated', entity: 'Application', entityId: id,
      before: toApplicationResponse(before), after, applicationId: id,
    });
    return after;
  });
}

export async function deleteApplication(actor: Actor, id: string): Promise<void> {
  await configChange(async (tx) => {
    const before = await tx.application.findUnique({ where: { id } });
    if (!before) throw notFound('application', id);
    await tx.application.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'Application.Deleted', entity: 'Application', entityId: id, before: toApplicationResponse(before), applicationId: id });
  });
}

// ---- Secrets ----------------------------------------------------------------------------------------

export async function listSecrets(applicationId: string) {
  await getApplication(applicationId);
  const rows = await db().applicationSecret.findMany({ where: { applicationId }, orderBy: { createdAt: 'asc' } });
  return rows.map(toSecretResponse);
}

export async function addSecret(actor: Actor, applicationId: string, input: SecretCreate) {
  return configChange(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: applicationId } });
    if (!app) throw notFound('application', applicationId);
    if (!TYPES_WITH_SECRETS.has(app.type)) {
      throw unprocessable('application.secrets_not_supported', `${app.type} applications have no secrets.`);
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw invalidInput('expiresAt', 'must be in the future');
    const existing = await tx.applicationSecret.findUnique({ where: { applicationId_name: { applicationId, name: input.name } } });
    if (existing) throw conflict('application_secret', 'name', input.name);
    // A new secret is a way to act as the app: only for callers holding what the app holds.
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    const { row, value } = await newSecret(tx, applicationId, input.name, expiresAt);
    const response = toSecretResponse(row);
    await emitDataEvent(tx, actor, { event: 'Application.Secret.Created', entity: 'Application', entityId: applicationId, after: response, applicationId });
    return { ...response, value };
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

// ---- Role assignments ------------------------------------------------------------------------------

export async function listApplicationRoles(applicationId: string, page: Pagination) {
  await getApplication(applicationId);
  const where = { applications: { some: { applicationId } } };
  const [total, rows] = await Promise.all([
    db().role.count({ where }),
    db().role.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], ...skipTake(page) }),
  ]);
  return { total, items: rows };
}

export async function assignApplicationRoles(actor: Actor, applicationId: string, roleIds: string[]): Promise<void> {
  await configChange(async (tx) => {
    const app = await tx.application.findUnique({ where: { id: applicationId } });
    if (!app) throw notFound('application', applicationId);
    const roles = await tx.role.findMany({ where: { id: { in: roleIds } } });
    for (const id of roleIds) {
      const role = roles.find((r) => r.id === id);
      if (!role) throw notFound('role', id);
      if (role.type !== 'MachineToMachine') {
        throw unprocessable('application.role_type_mismatch', `Role \`${role.name}\` is a User role; applications take MachineToMachine roles.`, 'roleIds');
      }
    }
    const existing = await tx.applicationRole.findMany({ where: { applicationId, roleId: { in: roleIds } } });
    if (existing.length > 0) {
      throw unprocessable('application.role_exists', `Role \`${existing[0]!.roleId}\` is already assigned to this application.`, 'roleIds');
    }
    await tx.applicationRole.createMany({ data: [...new Set(roleIds)].map((roleId) => ({ applicationId, roleId })) });
    await assertWithinCaller(tx, actor, [{ type: 'application', id: applicationId }]);
    await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, after: { roleIds }, applicationId });
  });
}

export async function removeApplicationRole(actor: Actor, applicationId: string, roleId: string): Promise<void> {
  await configChange(async (tx) => {
    const link = await tx.applicationRole.findUnique({ where: { applicationId_roleId: { applicationId, roleId } } });
    if (!link) throw notFound('application role', roleId);
    await tx.applicationRole.delete({ where: { applicationId_roleId: { applicationId, roleId } } });
    await emitDataEvent(tx, actor, { event: 'Application.Roles.Updated', entity: 'Application', entityId: applicationId, before: { roleId }, applicationId });
  });
}
