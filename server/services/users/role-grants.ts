// What a user's roles grant, for tokens: each User role with its scopes, each scope naming its API resource.
// Role definitions (names, scopes, resources) are configuration: they change only in configChange
// (roles.ts, resources.ts), which bumps the change stamp, so they are cached (cache.ts) and a token costs no
// query for them. Which roles a user holds is user data (dataChange): the caller reads it per token. A role
// id the cache does not know (created in another process less than SIGIL_CACHE_TTL_MS ago) is read from
// the database, so a fresh assignment is never dropped.
import { db } from '../../db/index.ts';
import { cached } from '../cache.ts';

/** A User role with its scopes, each naming its API resource (Logto's `context.user.roles` shape). */
export type UserRoleGrant = {
  id: string;
  name: string;
  description: string;
  scopes: Array<{ id: string; name: string; description: string | null; resourceId: string; resource: { id: string; name: string; indicator: string } }>;
};

/** Role id -> its grant, or null for a role that is not a User role (it gives a user nothing). */
type Catalogue = ReadonlyMap<string, UserRoleGrant | null>;

const INCLUDE = { scopes: { include: { scope: { include: { resource: true } } } } } as const;

async function readRoles(ids?: string[]): Promise<Map<string, UserRoleGrant | null>> {
  const rows = await db().role.findMany({ ...(ids ? { where: { id: { in: ids } } } : {}), include: INCLUDE });
  return new Map(rows.map((role) => [role.id, role.type !== 'User' ? null : {
    id: role.id,
    name: role.name,
    description: role.description,
    scopes: role.scopes.map(({ scope }) => ({
      id: scope.id,
      name: scope.name,
      description: scope.description,
      resourceId: scope.resourceId,
      resource: { id: scope.resource.id, name: scope.resource.name, indicator: scope.resource.indicator },
    })),
  }]));
}

const catalogue = (): Promise<Catalogue> => cached('role-grants', () => readRoles());

/** The User roles among `roleIds`, in that order, with their scopes. Ids of deleted roles are skipped. */
export async function userRoleGrants(roleIds: string[]): Promise<UserRoleGrant[]> {
  if (roleIds.length === 0) return [];
  let known = await catalogue();
  const unknown = roleIds.filter((id) => !known.has(id));
  if (unknown.length) known = new Map([...known, ...(await readRoles(unknown))]);
  return roleIds.map((id) => known.get(id)).filter((r): r is UserRoleGrant => !!r);
}
