// What a member may get in an organization token, read at issuance from current memberships and roles
// (never frozen at consent): a role granted after sign-in shows in the next token, and a deleted
// organization or membership stops issuance at once.
import { db } from '../../db/index.ts';
import type { MemberKind } from './members.ts';

export const ORGANIZATION_URN_PREFIX = 'urn:logto:organization:';
/** Logto's reserved resource of the organization template (RFC 0001): Logto's SDKs request it with the organizations scope. */
export const ORGANIZATION_RESOURCE = 'urn:logto:resource:organizations';
export const organizationAudience = (organizationId: string) => `${ORGANIZATION_URN_PREFIX}${organizationId}`;

function rolesOf(kind: MemberKind, organizationId: string, memberId: string) {
  return kind === 'user'
    ? { type: 'User', userRoles: { some: { organizationId, userId: memberId } } }
    : { type: 'MachineToMachine', applicationRoles: { some: { organizationId, applicationId: memberId } } };
}

export async function isOrganizationMember(kind: MemberKind, organizationId: string, memberId: string): Promise<boolean> {
  const count = kind === 'user'
    ? await db().organizationUser.count({ where: { organizationId, userId: memberId } })
    : await db().organizationApplication.count({ where: { organizationId, applicationId: memberId } });
  return count > 0;
}

/** Organization scope names the member holds through its roles there. */
export async function memberOrganizationScopes(kind: MemberKind, organizationId: string, memberId: string): Promise<Set<string>> {
  const rows = await db().organizationScope.findMany({ where: { roles: { some: { role: rolesOf(kind, organizationId, memberId) } } }, select: { name: true } });
  return new Set(rows.map((r) => r.name));
}

/** API resource scope names on `indicator` the member holds through its organization roles there. */
export async function memberResourceScopes(kind: MemberKind, organizationId: string, memberId: string, indicator: string): Promise<Set<string>> {
  const rows = await db().scope.findMany({
    where: { resource: { indicator }, organizationRoles: { some: { role: rolesOf(kind, organizationId, memberId) } } },
    select: { name: true },
  });
  return new Set(rows.map((r) => r.name));
}

/** Which of `names` are organization scopes of the template (what a sign-in may ask for). */
export async function organizationScopeNames(names: string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await db().organizationScope.findMany({ where: { name: { in: names } }, select: { name: true } });
  return new Set(rows.map((r) => r.name));
}

/** Whether the organization exists (a cheap check before an authorization request is accepted). */
export async function organizationExists(organizationId: string): Promise<boolean> {
  return (await db().organization.count({ where: { id: organizationId } })) > 0;
}
