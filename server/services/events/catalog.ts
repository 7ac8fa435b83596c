// The events a webhook can subscribe to. Logto's names where Logto has the event (User.*, Role.*,
// Scope.*); the same `<Entity>.<Change>` grammar for what Logto lacks (Application.*, Resource.*, Token.*).
// Every management change is in the audit log whether or not it is listed here; only listed events can
// be subscribed to, so an unlisted event (e.g. a hook's own changes) never triggers a delivery.
const NOT_EMITTED = "A Logto event Sigil accepts in a subscription but does not raise (the feature is not in Sigil).";

export const HOOK_EVENTS = {
  'PostRegister': 'A user registered on the sign-in page (Logto\'s interaction hook payload).',
  'PostSignIn': 'A user signed in with a password on the sign-in page (Logto\'s interaction hook payload).',
  'User.Created': 'A user was created.',
  'User.Deleted': 'A user was deleted.',
  'User.Data.Updated': "A user's profile or custom data changed.",
  'User.SuspensionStatus.Updated': 'A user was suspended or reactivated.',
  'User.Roles.Updated': 'Roles were assigned to or removed from a user.',
  'Role.Created': 'A role was created.',
  'Role.Deleted': 'A role was deleted.',
  'Role.Data.Updated': "A role's name, description or default flag changed.",
  'Role.Scopes.Updated': 'Scopes were added to or removed from a role.',
  'Scope.Created': 'A permission (scope) was added to an API resource.',
  'Scope.Deleted': 'A permission (scope) was deleted.',
  'Scope.Data.Updated': "A permission's name or description changed.",
  'Resource.Created': 'An API resource was created.',
  'Resource.Deleted': 'An API resource was deleted.',
  'Resource.Data.Updated': "An API resource's settings changed.",
  'Application.Created': 'An application was created.',
  'Application.Deleted': 'An application was deleted.',
  'Application.Data.Updated': "An application's settings changed.",
  'Application.Roles.Updated': 'Roles were assigned to or removed from an application.',
  'Application.Secret.Created': 'An application secret was created (the value is never sent).',
  'Application.Secret.Deleted': 'An application secret was deleted.',
  'User.SubjectToken.Created': 'A subject token was issued to impersonate a user (the value is never sent).',
  'User.Impersonated': 'An app exchanged a subject token for an access token acting as a user (RFC 8693).',
  'SigningKey.Rotated': 'The signing keys were rotated (key ids and statuses only; never key material).',
  'SigningKey.Deleted': 'A Previous signing key was deleted.',
  'JwtCustomizer.Updated': 'A custom JWT claims script was saved.',
  'JwtCustomizer.Deleted': 'A custom JWT claims script was deleted.',
  'Organization.Created': 'An organization was created.',
  'Organization.Deleted': 'An organization was deleted (its memberships and invitations with it).',
  'Organization.Data.Updated': "An organization's name, description, custom data or branding changed.",
  'Organization.Membership.Updated': 'Users or applications joined or left an organization.',
  'OrganizationRole.Created': 'An organization role was created.',
  'OrganizationRole.Deleted': 'An organization role was deleted.',
  'OrganizationRole.Data.Updated': "An organization role's name, description or type changed.",
  'OrganizationRole.Scopes.Updated': 'Organization or resource scopes were added to or removed from an organization role.',
  'OrganizationScope.Created': 'An organization scope was created.',
  'OrganizationScope.Deleted': 'An organization scope was deleted.',
  'OrganizationScope.Data.Updated': "An organization scope's name or description changed.",
  'OrganizationInvitation.Created': 'An invitation to an organization was created (invitee, inviter, organization and roles: what a mail sender needs).',
  'OrganizationInvitation.Deleted': 'An organization invitation was deleted.',
  'OrganizationInvitation.Status.Updated': "An organization invitation was accepted or revoked.",
  'Token.Issued': 'An access token was issued at /oidc/token (any grant).',
  'Token.IssuanceFailed': 'A token request was refused (bad credentials, scope, resource, denied by a claims script).',
  'Token.Revoked': 'An access token was revoked at /oidc/token/revocation.',
  // Logto's other event names: a hook may subscribe to them (so Logto configurations carry over), but
  // Sigil has nothing that raises them yet (no MFA, password reset, trusted devices,
  // lockout, messages or grant limits), so no delivery is ever made for them.
  'PostSignInAdaptiveMfaTriggered': NOT_EMITTED,
  'PostResetPassword': NOT_EMITTED,
  'TrustedDevice.Created': NOT_EMITTED,
  'TrustedDevice.Deleted': NOT_EMITTED,
  'Identifier.Lockout': NOT_EMITTED,
  'Message.RateLimited': NOT_EMITTED,
  'Grant.LimitExceeded': NOT_EMITTED,
} as const satisfies Record<string, string>;

export type HookEvent = keyof typeof HOOK_EVENTS;

export const HOOK_EVENT_NAMES = Object.keys(HOOK_EVENTS) as HookEvent[];

export function isHookEvent(value: string): value is HookEvent {
  return Object.hasOwn(HOOK_EVENTS, value);
}

/**
 * Token events come from token-request audit records (Logto keys `ExchangeTokenBy.<Grant>`, `RevokeToken`)
 * rather than from a data change, so they are mapped here and enqueued by the audit group commit.
 */
export function tokenEventFor(auditKey: string, result: string, payload: Record<string, unknown>): HookEvent | null {
  if (auditKey.startsWith('ExchangeTokenBy.')) return result === 'Success' ? 'Token.Issued' : 'Token.IssuanceFailed';
  // An unknown or already-invalid token answers 200 by RFC 7009 but revoked nothing: no event.
  if (auditKey === 'RevokeToken' && result === 'Success' && payload.tokenId) return 'Token.Revoked';
  return null;
}
