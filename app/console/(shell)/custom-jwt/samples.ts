// What a new script starts from, per token type: a commented template, realistic sample inputs shaped
// exactly as Sigil passes them at issuance, and sample environment variables.
export type TokenType = 'access-token' | 'client-credentials';

export const TOKEN_TYPES: Array<{ value: TokenType; label: string; description: string }> = [
  {
    value: 'access-token',
    label: 'Access token',
    description: 'User access tokens (issued by token exchange): the script sees the user, the grant and the application.',
  },
  {
    value: 'client-credentials',
    label: 'Client credentials',
    description: 'Machine-to-machine tokens (client_credentials): the script sees the application and its M2M roles with their scopes.',
  },
];

/** The doc comment of the template; `@type` gives the editor the argument types (see typings.ts). */
const HEADER = `/**
 * getCustomJwtClaims({ token, context, environmentVariables, api }) returns extra claims
 * for the token being issued. It runs in an isolated sandbox (QuickJS in WebAssembly):
 * no Node APIs, 1 s and 64 MiB per run, fetch() to public addresses only.
 * Reserved claims (sub, aud, scope, exp, client_id, act, ...) are never replaced.
 * api.denyAccess(message) refuses the token. Keep secrets in environment variables.
 *
 * @type {GetCustomJwtClaims}
 */`;

export const DEFAULT_SCRIPTS: Record<TokenType, string> = {
  'access-token': `${HEADER}
const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  const { user } = context;
  if (user.isSuspended) api.denyAccess('This account is suspended.');
  return {
    roles: user.roles.map((role) => role.name),
    plan: user.customData.plan ?? 'free',
  };
};
`,
  'client-credentials': `${HEADER}
const getCustomJwtClaims = async ({ token, context, environmentVariables, api }) => {
  const { application, roles } = context;
  return {
    tenant: environmentVariables.TENANT_ID,
    app_name: application.name,
    roles: roles.map((role) => role.name),
  };
};
`,
};

export const TOKEN_SAMPLES: Record<TokenType, Record<string, unknown>> = {
  'access-token': {
    jti: 'Xk3J9v2QmN8pL5rT7wYz1',
    aud: 'https://api.example.com',
    scope: 'read:orders write:orders',
    clientId: 'support-portal',
    accountId: 'u_8m2kq7x4p1',
    gty: 'urn:ietf:params:oauth:grant-type:token-exchange',
    kind: 'AccessToken',
  },
  'client-credentials': {
    jti: 'fR6tY2uI9oP3aS8dG1hJ4',
    aud: 'https://api.example.com',
    scope: 'read:orders',
    clientId: 'stats-service',
    kind: 'ClientCredentials',
  },
};

const APPLICATION = (id: string, name: string, type: string) => ({
  id,
  name,
  description: null,
  type,
  isThirdParty: false,
  customClientMetadata: {},
  createdAt: 1735689600000,
});

export const CONTEXT_SAMPLES: Record<TokenType, Record<string, unknown>> = {
  'access-token': {
    user: {
      id: 'u_8m2kq7x4p1',
      username: 'alice',
      primaryEmail: 'alice@example.com',
      primaryPhone: null,
      name: 'Alice Martin',
      avatar: null,
      customData: { plan: 'pro', department: 'Support' },
      profile: { givenName: 'Alice', familyName: 'Martin' },
      isSuspended: false,
      hasPassword: true,
      createdAt: 1735689600000,
      updatedAt: 1738368000000,
      lastSignInAt: 1738368000000,
      roles: [
        {
          id: 'r_orders_admin',
          name: 'orders-admin',
          description: 'Manages orders',
          scopes: [
            { id: 's_read', name: 'read:orders', description: 'Read orders', resourceId: 'res_orders', resource: 'https://api.example.com' },
            { id: 's_write', name: 'write:orders', description: 'Change orders', resourceId: 'res_orders', resource: 'https://api.example.com' },
          ],
        },
      ],
      organizations: [],
      organizationRoles: [],
    },
    grant: {
      type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subjectTokenContext: { ticketId: 'T-1042' },
    },
    application: APPLICATION('support-portal', 'Support portal', 'Traditional'),
  },
  'client-credentials': {
    application: APPLICATION('stats-service', 'Stats service', 'MachineToMachine'),
    roles: [
      {
        id: 'r_reporting',
        name: 'reporting',
        description: 'Read-only reporting access',
        scopes: [{ id: 's_read', name: 'read:orders', description: 'Read orders', resourceId: 'res_orders', resource: 'https://api.example.com' }],
      },
    ],
  },
};

export const ENV_SAMPLES: Record<TokenType, Record<string, string>> = {
  'access-token': {},
  'client-credentials': { TENANT_ID: 'acme' },
};
