// Organization tokens (Logto's RFC 0006), shared by client_credentials (member M2M apps) and the user
// grants (refresh_token): with `organization_id` and no `resource`, a JWT for the organization
// (`aud = urn:logto:organization:<id>`) with the member's organization scopes ∩ the requested ones; with a
// `resource` too, a token for that resource carrying an `organization_id` claim, with the resource scopes
// the member's organization roles give there. Scopes are read at issuance, never frozen at consent.
import type { OAuthResource } from '../../services/clients.ts';
import type { MemberKind } from '../../services/organizations/members.ts';
import {
  isOrganizationMember, memberOrganizationScopes, memberResourceScopes, organizationAudience,
} from '../../services/organizations/tokens.ts';
import { AccessDenied, InvalidRequest, InvalidTarget } from '../errors.ts';

/** Organization tokens live one hour, as Logto's. */
const ORGANIZATION_TOKEN_TTL = 3600;

/** The `organization_id` parameter: absent, or a non-empty id (invalid_request otherwise). */
export function organizationIdOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!value || value.length > 128) throw new InvalidRequest('organization_id must be a non-empty organization id');
  return value;
}

/** The organization as a token audience (never stored: a synthetic resource for drafting the JWT). */
export function organizationResource(organizationId: string): OAuthResource {
  return {
    id: organizationAudience(organizationId), name: 'organization', indicator: organizationAudience(organizationId),
    accessTokenTtl: ORGANIZATION_TOKEN_TTL, tokenFormat: 'jwt', isDefault: false, isBuiltIn: false, scopes: new Set(),
  };
}

/** Logto answers a non-member app with 403 (a user's refresh grant keeps the usual 400). */
class AppNotMember extends AccessDenied {
  override readonly status = 403;
}

export async function requireMember(kind: MemberKind, organizationId: string, memberId: string): Promise<void> {
  if (await isOrganizationMember(kind, organizationId, memberId)) return;
  throw kind === 'user' ? new AccessDenied('user is not a member of the organization') : new AppNotMember('app has not associated with the organization');
}

/**
 * The audience and scopes of an organization token: `resource` absent → the organization itself;
 * present → that resource (never the Management API: organization roles cannot carry its scopes).
 * Scopes: the `requested` ones (asked for, or authorized at sign-in) that the member's roles give now.
 */
export async function organizationGrant(kind: MemberKind, organizationId: string, memberId: string, requested: string[], resource?: OAuthResource) {
  await requireMember(kind, organizationId, memberId);
  if (!resource) {
    const held = await memberOrganizationScopes(kind, organizationId, memberId);
    return { resource: organizationResource(organizationId), scopes: requested.filter((s) => held.has(s)), organizationId: undefined };
  }
  if (resource.isBuiltIn) throw new InvalidTarget('organization tokens cannot be issued for the Management API');
  const held = await memberResourceScopes(kind, organizationId, memberId, resource.indicator);
  return { resource, scopes: requested.filter((s) => held.has(s)), organizationId };
}
