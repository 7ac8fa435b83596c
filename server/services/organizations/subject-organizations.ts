// A subject's organizations as tokens and claims scripts see them, read at issuance (never frozen at
// sign-in): the user's organizations with their roles there (the `organizations`, `organization_roles`
// and `organization_data` claims, `context.user.organizations` / `organizationRoles`), and the one
// organization an organization token is for (`context.organization`).
import { db } from '../../db/index.ts';
import type { MemberKind } from './members.ts';
import { memberOrganizationScopes } from './tokens.ts';

export type UserOrganization = { id: string; name: string; description: string | null; roles: { id: string; name: string }[] };

/** The user's organizations (in the order they joined) with the user's organization roles in each (by name). */
export async function userOrganizations(userId: string): Promise<UserOrganization[]> {
  const rows = await db().organizationUser.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'asc' }, { organizationId: 'asc' }],
    select: {
      organization: { select: { id: true, name: true, description: true } },
      roles: { select: { role: { select: { id: true, name: true } } } },
    },
  });
  return rows.map(({ organization, roles }) => ({
    ...organization,
    roles: roles.map((r) => r.role).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/** Logto's `context.user.organizations` and `context.user.organizationRoles` of a claims script. */
export async function userOrganizationsContext(userId: string) {
  const organizations = await userOrganizations(userId);
  return {
    organizations: organizations.map(({ id, name, description }) => ({ id, name, description })),
    organizationRoles: organizations.flatMap((o) => o.roles.map((r) => ({ organizationId: o.id, roleId: r.id, roleName: r.name }))),
  };
}

export type OrganizationContext = {
  id: string;
  name: string;
  description: string | null;
  customData: Record<string, unknown>;
  /** The subject's organization roles there (Sigil's addition to Logto's context). */
  roles: { id: string; name: string }[];
  /** The organization scopes those roles give (Sigil's addition). */
  scopes: string[];
};

/**
 * `context.organization` of a claims script for a token issued for an organization: Logto's organization
 * fields (`id`, `name`, `description`, `customData`) plus the subject's roles and organization scopes
 * there. Undefined when the organization is gone.
 */
export async function organizationContext(kind: MemberKind, organizationId: string, memberId: string): Promise<OrganizationContext | undefined> {
  const organization = await db().organization.findUnique({ where: { id: organizationId }, select: { id: true, name: true, description: true, customData: true } });
  if (!organization) return undefined;
  const [roles, scopes] = await Promise.all([
    kind === 'user'
      ? db().organizationUserRole.findMany({ where: { organizationId, userId: memberId }, select: { role: { select: { id: true, name: true } } } })
      : db().organizationApplicationRole.findMany({ where: { organizationId, applicationId: memberId }, select: { role: { select: { id: true, name: true } } } }),
    memberOrganizationScopes(kind, organizationId, memberId),
  ]);
  return {
    ...organization,
    customData: (organization.customData ?? {}) as Record<string, unknown>,
    roles: roles.map((r) => r.role).sort((a, b) => a.name.localeCompare(b.name)),
    scopes: [...scopes].sort(),
  };
}
