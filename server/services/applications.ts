// Applications, their secrets and their role assignments.
import { checkDeviceFlowOnCreate, checkDeviceFlowOnPatch } from './sign-in/device-flow.ts';
import { db, type Tx } from '../db/index.ts';
import type {
  ApplicationCreate,
  ApplicationPatch,
  ApplicationResponse,
  SecretCreate,
} from '../schemas/applications.ts';
import type { Page, Pagination } from '../schemas/common.ts';
import type { Actor } from './actor.ts';
import { randomId } from './crypto.ts';
import { conflict, DomainError, isUniqueViolation, notFound, unprocessable } from './errors.ts';
import { oidcClientMetadataOf } from './clients.ts';
import { emitDataEvent } from './events/index.ts';
import { MANAGEMENT_ROLE_ID } from './management-resource.ts';
import { likeSearch as contains, skipTake } from './pages.ts';
import { assertWithinCaller } from './privilege.ts';
import { configChange } from './transaction.ts';
import { DEFAULT_SECRET_NAME, newSecret, secretsRetrievable, TYPES_WITH_SECRETS } from './applications-secrets.ts';

export * from './applications-secrets.ts';
export * from './applications-roles.ts';

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
    customData: (row.customData ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt.getTime(),
  };
}

/** Apps that sign users in, and so can be third-party (Logto's rule). */
const INTERACTIVE_TYPES = new Set(['Traditional', 'SPA', 'Native']);
export async function createApplication(
  actor: Actor,
  input: ApplicationCreate,
  options: { id?: string; secret?: string } = {},
): Promise<ApplicationResponse & { secret?: string }> {
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
          customClientMetadata: { ...input.customClientMetadata } as object,
          customData: (input.customData ?? {}) as object,
        },
      })
      .catch((e) => {
        throw isUniqueViolation(e) ? conflict('application', 'id', options.id ?? '') : e;
      });
    let secret: string | undefined;
    if (TYPES_WITH_SECRETS.has(row.type)) {
      secret = (await newSecret(tx, row.id, DEFAULT_SECRET_NAME, null, options.secret)).value;
    }
    const response = toApplicationResponse(row);
    await emitDataEvent(tx, actor, { event: 'Application.Created', entity: 'Application', entityId: row.id, after: response, applicationId: row.id });
    return secret === undefined ? response : { ...response, secret };
  });
}

/**
 * The Management API's create response: with retrievable secrets, Logto's shape (no `secret`; read it from
 * /secrets); with hashed ones the default secret can only be shown now, so it stays.
 */
export function createdForManagementApi<T extends { secret?: string }>(created: T): Omit<T, 'secret'> & { secret?: string } {
  if (!secretsRetrievable()) return created;
  const { secret: _secret, ...rest } = created;
  return rest;
}

export async function listApplications(
  query: { search?: string; types?: string[]; isThirdParty?: boolean; excludeRoleId?: string },
  page: Pagination,
): Promise<Page<ApplicationResponse>> {
  const name = contains(query.search);
  const where = {
    ...(query.types?.length ? { type: { in: query.types } } : {}),
    ...(query.isThirdParty !== undefined ? { isThirdParty: query.isThirdParty } : {}),
    ...(query.excludeRoleId ? { roles: { none: { roleId: query.excludeRoleId } } } : {}),
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
  return { ...toApplicationResponse(row), isAdmin: await isAdmin(db() as unknown as Tx, id) };
}

/** Logto's `isAdmin`: the app holds the built-in Management API role. */
async function isAdmin(tx: Tx, applicationId: string): Promise<boolean> {
  return Boolean(await tx.applicationRole.findUnique({ where: { applicationId_roleId: { applicationId, roleId: MANAGEMENT_ROLE_ID } } }));
}

/** PATCH { isAdmin }: give or take the built-in role (the privilege rule applies to the giving). */
async function setAdmin(tx: Tx, actor: Actor, app: AppRow, admin: boolean): Promise<void> {
  if (app.type !== 'MachineToMachine') {
    throw unprocessable('application.invalid_type', 'Only MachineToMachine applications can be Management API admins.', 'isAdmin');
  }
  const key = { applicationId: app.id, roleId: MANAGEMENT_ROLE_ID };
  const has = await isAdmin(tx, app.id);
  if (admin && !has) {
    await tx.applicationRole.create({ data: key });
    await assertWithinCaller(tx, actor, [{ type: 'application', id: app.id }]);
  } else if (!admin && has) {
    await tx.applicationRole.delete({ where: { applicationId_roleId: key } });
  }
}

/** Logto's PATCH /applications/:id/custom-data: merge the given keys into customData; returns it. */
export async function patchCustomData(actor: Actor, id: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  return configChange(async (tx) => {
    const before = await tx.application.findUnique({ where: { id } });
    if (!before) throw notFound('application', id);
    const customData = { ...((before.customData ?? {}) as Record<string, unknown>), ...patch };
    const row = await tx.application.update({ where: { id }, data: { customData: customData as object } });
    await emitDataEvent(tx, actor, {
      event: 'Application.Data.Updated', entity: 'Application', entityId: id,
      before: toApplicationResponse(before), after: toApplicationResponse(row), applicationId: id,
    });
    return customData;
  });
}

export async function updateApplication(actor: Actor, id: string, patch: ApplicationPatch): Promise<ApplicationResponse> {
  return configChange(async (tx) => {
    const before = await tx.application.findUnique({ where: { id } });
    if (!before) throw notFound('application', id);
    checkDeviceFlowOnPatch(before.customClientMetadata, patch.customClientMetadata);
    // Replaced as a whole, as Logto does.
    const metadata = patch.customClientMetadata;
    if (metadata && (metadata as { allowTokenExchange?: boolean }).allowTokenExchange && before.isThirdParty) {
      throw unprocessable('application.third_party_token_exchange', 'Third-party applications cannot use token exchange.', 'customClientMetadata.allowTokenExchange');
    }
    const row = await tx.application.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(metadata ? { customClientMetadata: metadata as object } : {}),
        ...(patch.customData ? { customData: patch.customData as object } : {}),
        ...(patch.oidcClientMetadata ? { oidcClientMetadata: { ...oidcClientMetadataOf(before.oidcClientMetadata), ...patch.oidcClientMetadata } } : {}),
      },
    });
    if (patch.isAdmin !== undefined) await setAdmin(tx, actor, row, patch.isAdmin);
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
