// First-start and every-start setup: instance key, a signing key, the built-in Management API resource
// with its preset role, and the optional bootstrap M2M client (Keycloak-style, for unattended installs).
import { serializeWrites } from '../db/dialect/index.ts';
import { db } from '../db/index.ts';
import { env } from '../env.ts';
import { BOOTSTRAP, SYSTEM } from './actor.ts';
import { ensureBootstrapAdmin } from './administrators.ts';
import { assignApplicationRoles, createApplication } from './applications.ts';
import { changed, clearLocal } from './cache.ts';
import { instanceKeys } from './instance-key.ts';
import {
  MANAGEMENT_RESOURCE_ID, MANAGEMENT_RESOURCE_NAME, MANAGEMENT_ROLE_ID, MANAGEMENT_ROLE_NAME, MANAGEMENT_SCOPES, managementScopeId,
} from './management-resource.ts';
import { createResource, createScope } from './resources.ts';
import { createRole } from './roles.ts';
import { ensureDemoApp } from './sign-in/demo-app.ts';
import { DEFAULT_SIGNING_ALGORITHM } from './signing-keys/algorithms.ts';
import { SIGNING_KEY_LOCK } from './signing-keys/manage.ts';
import { insertSigningKey } from './signing-keys/store.ts';
import { DomainError, isUniqueViolation } from './errors.ts';

async function once<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    // Another instance starting at the same time did it first.
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

async function ensureSigningKey(): Promise<void> {
  for (let attempt = 0; (await db().signingKey.count()) === 0; attempt++) {
    try {
      await db().$transaction(async (tx) => {
        // Concurrent starts (and rotations) take turns; the retries cover a database that gives up waiting.
        await serializeWrites(tx, SIGNING_KEY_LOCK);
        if ((await tx.signingKey.count()) === 0) {
          await insertSigningKey(tx, DEFAULT_SIGNING_ALGORITHM, 'Current', new Date(Date.now() - 1000));
        }
      });
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}

async function ensureManagementApi(): Promise<void> {
  const { managementApiIndicator } = env();
  let resource = await db().resource.findUnique({ where: { id: MANAGEMENT_RESOURCE_ID } });
  if (!resource) {
    await once(() =>
      createResource(SYSTEM, { name: MANAGEMENT_RESOURCE_NAME, indicator: managementApiIndicator, accessTokenTtl: 3600 }, { id: MANAGEMENT_RESOURCE_ID, isBuiltIn: true }),
    );
    resource = await db().resource.findUniqueOrThrow({ where: { id: MANAGEMENT_RESOURCE_ID } });
  } else if (resource.indicator !== managementApiIndicator || resource.name !== MANAGEMENT_RESOURCE_NAME) {
    // SIGIL_PUBLIC_URL changed: the indicator follows it. Installs from before Logto's name take it.
    await db().resource.update({ where: { id: resource.id }, data: { indicator: managementApiIndicator, name: MANAGEMENT_RESOURCE_NAME } });
    await changed();
  }
  const existing = new Set((await db().scope.findMany({ where: { resourceId: resource.id } })).map((s) => s.name));
  for (const [name, description] of Object.entries(MANAGEMENT_SCOPES)) {
    if (!existing.has(name)) await once(() => createScope(SYSTEM, resource.id, { name, description }, { allowBuiltIn: true, id: managementScopeId(name) }));
  }
  const all = await db().scope.findUniqueOrThrow({ where: { resourceId_name: { resourceId: resource.id, name: 'all' } } });
  if (!(await db().role.findUnique({ where: { id: MANAGEMENT_ROLE_ID } }))) {
    await once(() =>
      createRole(SYSTEM, {
        name: MANAGEMENT_ROLE_NAME,
        description: 'Preset role with the `all` scope of the Management API.',
        type: 'MachineToMachine',
        scopeIds: [all.id],
      }, { id: MANAGEMENT_ROLE_ID }),
    );
  }
  // The built-in role's scope set is exactly `all`, whatever an older version let happen to it.
  const { count: extra } = await db().roleScope.deleteMany({ where: { roleId: MANAGEMENT_ROLE_ID, NOT: { scopeId: all.id } } });
  const link = { roleId: MANAGEMENT_ROLE_ID, scopeId: all.id };
  const missing = !(await db().roleScope.findUnique({ where: { roleId_scopeId: link } }));
  if (missing) await once(() => db().roleScope.create({ data: link }));
  if (extra > 0 || missing) await changed();
}

/** The bootstrap app is created once, and holds the Management API role after every start. */
async function ensureBootstrapClient(): Promise<void> {
  const client = env().bootstrapClient;
  if (!client) return;
  if (!(await db().application.findUnique({ where: { id: client.id } }))) {
    await once(() =>
      createApplication(BOOTSTRAP, { name: 'Bootstrap admin client', type: 'MachineToMachine', description: 'Created at start-up from SIGIL_BOOTSTRAP_CLIENT_ID.' }, { id: client.id, secret: client.secret }),
    );
  }
  const link = { applicationId: client.id, roleId: MANAGEMENT_ROLE_ID };
  if (!(await db().applicationRole.findUnique({ where: { applicationId_roleId: link } }))) {
    await assignApplicationRoles(BOOTSTRAP, client.id, [MANAGEMENT_ROLE_ID]).catch((error: unknown) => {
      // Another instance starting at the same time did it first.
      if (!(error instanceof DomainError && error.code === 'application.role_exists') && !isUniqueViolation(error)) throw error;
    });
  }
}

/** Idempotent; safe when several instances start at once. */
export async function bootstrap(): Promise<void> {
  await instanceKeys();
  await ensureSigningKey();
  await ensureManagementApi();
  await ensureBootstrapClient();
  await ensureBootstrapAdmin();
  await ensureDemoApp();
  clearLocal();
}
