// The built-in Management API resource: indicator `${SIGIL_PUBLIC_URL}/api`, scope `all` as Logto, plus
// fine-grained scopes (Logto has only `all`; logto#8821). `all` implies every other scope.
export const MANAGEMENT_RESOURCE_ID = 'management-api';
/** Logto's id for a Management API scope (`all` → `management-api-all`), on installs made since these ids. */
export const managementScopeId = (name: string) => `${MANAGEMENT_RESOURCE_ID}-${name.replace(/[^a-z0-9-]/gi, '-')}`;
/** Logto's name (@logto/schemas defaultManagementApi): tools compare against it. */
export const MANAGEMENT_RESOURCE_NAME = 'Logto Management API';
export const MANAGEMENT_ROLE_ID = 'management-api-access';
export const MANAGEMENT_ROLE_NAME = 'Management API access';

export const MANAGEMENT_SCOPES = {
  all: 'Default scope for Management API, allows all permissions.',
  'read:applications': 'Read applications, their secrets (metadata only) and roles.',
  'write:applications': 'Create, update and delete applications, secrets and role assignments.',
  'read:resources': 'Read API resources and their scopes.',
  'write:resources': 'Create, update and delete API resources and scopes.',
  'read:roles': 'Read roles, their scopes, applications and users.',
  'write:roles': 'Create, update and delete roles and their scopes.',
  'read:users': 'Read users and their roles.',
  'write:users': 'Create, update, suspend and delete users and assign their roles.',
  'read:logs': 'Read and export audit logs.',
  'read:hooks': 'Read webhooks and their deliveries.',
  'write:hooks': 'Create, update, test and delete webhooks; redeliver events.',
  'read:configs': 'Read custom JWT scripts and signing keys (never key material).',
  'write:configs': 'Change custom JWT scripts and rotate or delete signing keys.',
  'read:organizations': 'Read organizations, their members, applications, invitations, and organization roles and scopes.',
  'write:organizations': 'Create, update and delete organizations, memberships, invitations, and organization roles and scopes.',
  'create:subject-tokens': 'Issue subject tokens to impersonate users (RFC 8693).',
} as const;

export type ManagementScope = keyof typeof MANAGEMENT_SCOPES;
