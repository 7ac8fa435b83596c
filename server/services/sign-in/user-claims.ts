// Claims about a user by scope, as Logto's (core/src/oidc/scope.ts): the ID token carries the short set,
// userinfo adds the extended claims. Organization claims are read at issuance: `organizations` (ids) and
// `organization_roles` (`orgId:roleName`) in both, `organization_data` (id, name, description) in
// userinfo only. Sigil has no social identities or addresses beyond the profile: empty or left out.
import type { ImpersonatedUser } from '../impersonation.ts';
import { userOrganizations, type UserOrganization } from '../organizations/subject-organizations.ts';

const ORGANIZATIONS_SCOPE = 'urn:logto:scope:organizations';
const ORGANIZATION_ROLES_SCOPE = 'urn:logto:scope:organization_roles';

/** The scopes /oidc/auth recognises besides the scopes of API resources. */
export const OIDC_SCOPES = [
  'openid', 'offline_access', 'profile', 'email', 'phone', 'address', 'custom_data', 'identities', 'roles',
  'urn:logto:scope:organizations', 'urn:logto:scope:organization_roles',
] as const;
const OIDC_SCOPE_SET: ReadonlySet<string> = new Set(OIDC_SCOPES);
export const isOidcScope = (scope: string) => OIDC_SCOPE_SET.has(scope);

/** Every claim discovery lists (claims_supported). */
export const SUPPORTED_CLAIMS = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash',
  'name', 'picture', 'username', 'created_at', 'updated_at', 'email', 'email_verified', 'phone_number', 'phone_number_verified',
  'roles', 'custom_data', 'identities', 'sso_identities', 'organizations', 'organization_roles', 'organization_data',
  'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'address',
];

const PROFILE_FIELDS: Record<string, string> = {
  familyName: 'family_name', givenName: 'given_name', middleName: 'middle_name', nickname: 'nickname',
  preferredUsername: 'preferred_username', profile: 'profile', website: 'website', gender: 'gender',
  birthdate: 'birthdate', zoneinfo: 'zoneinfo', locale: 'locale',
};

/** The user's organizations when a granted scope asks for them (no query otherwise). */
export async function claimOrganizations(userId: string, scopes: Iterable<string>): Promise<UserOrganization[]> {
  const granted = new Set(scopes);
  return granted.has(ORGANIZATIONS_SCOPE) || granted.has(ORGANIZATION_ROLES_SCOPE) ? userOrganizations(userId) : [];
}

/**
 * ID token claims (Logto's idTokenClaims): profile, email, phone, roles, organizations. `organizations`
 * comes from claimOrganizations with the same scopes.
 */
export function idTokenClaims(user: ImpersonatedUser, scopes: Iterable<string>, organizations: UserOrganization[] = []): Record<string, unknown> {
  const granted = new Set(scopes);
  const claims: Record<string, unknown> = {};
  if (granted.has('profile')) {
    Object.assign(claims, { name: user.name, picture: user.avatar, username: user.username, created_at: user.createdAt, updated_at: user.updatedAt });
  }
  if (granted.has('email')) Object.assign(claims, { email: user.primaryEmail, email_verified: Boolean(user.primaryEmail) });
  if (granted.has('phone')) Object.assign(claims, { phone_number: user.primaryPhone, phone_number_verified: Boolean(user.primaryPhone) });
  if (granted.has('roles')) claims.roles = user.roles.map((r) => r.name);
  if (granted.has(ORGANIZATIONS_SCOPE)) claims.organizations = organizations.map((o) => o.id);
  if (granted.has(ORGANIZATION_ROLES_SCOPE)) claims.organization_roles = organizations.flatMap((o) => o.roles.map((r) => `${o.id}:${r.name}`));
  return claims;
}

/** Userinfo claims: the ID token's plus the extended ones (standard profile fields, custom data, identities). */
export function userinfoClaims(user: ImpersonatedUser, scopes: Iterable<string>, organizations: UserOrganization[] = []): Record<string, unknown> {
  const granted = new Set(scopes);
  const claims: Record<string, unknown> = { sub: user.id, ...idTokenClaims(user, granted, organizations) };
  const profile = user.profile as Record<string, unknown>;
  if (granted.has('profile')) {
    for (const [field, claim] of Object.entries(PROFILE_FIELDS)) if (profile[field] !== undefined) claims[claim] = profile[field];
  }
  if (granted.has('address') && profile.address) claims.address = profile.address;
  if (granted.has('custom_data')) claims.custom_data = user.customData;
  if (granted.has('identities')) Object.assign(claims, { identities: user.identities, sso_identities: [] });
  if (granted.has(ORGANIZATIONS_SCOPE)) claims.organization_data = organizations.map(({ id, name, description }) => ({ id, name, description }));
  return claims;
}
