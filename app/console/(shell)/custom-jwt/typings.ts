// Type declarations handed to Monaco's JavaScript service (addExtraLib), so the editor completes and
// explains every argument of getCustomJwtClaims. They describe what the sandbox really provides: no DOM,
// no Node, a fetch() with a small Response, and a no-op console. Kept in step with
// server/services/jwt-customizer/shapes.ts.
import type { TokenType } from './samples';

const COMMON = `
/** One of your environment variables (values are secrets: set them in the Environment variables tab). */
interface EnvironmentVariables { readonly [name: string]: string | undefined }

interface CustomJwtApi {
  /**
   * Refuses the token: the token request fails with OAuth \`access_denied\` and this message as
   * \`error_description\`. Takes effect even if your code catches the error it throws.
   */
  denyAccess(message?: string): never;
}

/** Claims to add to the token. Reserved claims (iss, sub, aud, exp, nbf, iat, jti, client_id, scope, act, cnf, organization_id, ...) are ignored. */
interface CustomClaims { [claim: string]: unknown }

interface ApplicationContext {
  id: string;
  name: string;
  description: string | null;
  /** MachineToMachine | Traditional | SPA | Native */
  type: string;
  isThirdParty: boolean;
  customClientMetadata: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAt: number;
}

interface ScopeContext { id: string; name: string; description: string | null; resourceId: string; /** The API resource indicator. */ resource: string }
interface RoleContext { id: string; name: string; description: string; scopes: ScopeContext[] }

interface SandboxHeaders { get(name: string): string | null; has(name: string): boolean; readonly [name: string]: unknown }
interface SandboxResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly headers: SandboxHeaders;
  text(): Promise<string>;
  json(): Promise<any>;
}
/**
 * HTTP(S) to public addresses only (loopback, private and link-local addresses are refused), at most 10
 * requests per run, 1 MiB per response, within the script's time limit. Rejects with "fetch failed: ...".
 */
declare function fetch(url: string | { url: string }, init?: { method?: string; headers?: Record<string, string> | Array<[string, string]>; body?: string }): Promise<SandboxResponse>;
/** Output is discarded (scripts run on the token path). */
declare const console: { log(...a: unknown[]): void; info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void; debug(...a: unknown[]): void };
`;

const CLIENT_CREDENTIALS = `
/** The machine-to-machine token being issued (Logto's shape). */
interface ClientCredentialsPayload {
  /** The token id (its \`jti\` claim). */
  readonly jti: string;
  /** The API resource indicator (the \`aud\` claim). */
  readonly aud: string;
  /** Granted scopes, space-separated; absent when none. */
  readonly scope?: string;
  readonly clientId: string;
  readonly kind: 'ClientCredentials';
}
interface ClientCredentialsContext {
  /** The application requesting the token (never its secret). */
  application: ApplicationContext;
  /** Sigil: the application's machine-to-machine roles with their scopes (Logto does not pass these). */
  roles: RoleContext[];
}
`;

const ACCESS_TOKEN = `
/** The user access token being issued (Logto's shape). */
interface AccessTokenPayload {
  readonly jti: string;
  readonly aud: string;
  readonly scope?: string;
  readonly clientId: string;
  /** The user id (the \`sub\` claim). */
  readonly accountId: string;
  /** The grant type, e.g. urn:ietf:params:oauth:grant-type:token-exchange. */
  readonly gty: string;
  readonly grantId?: string;
  readonly kind: 'AccessToken';
}
interface UserContext {
  id: string;
  username: string | null;
  primaryEmail: string | null;
  primaryPhone: string | null;
  name: string | null;
  avatar: string | null;
  customData: Record<string, any>;
  profile: Record<string, any>;
  isSuspended: boolean;
  hasPassword?: boolean;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
  /** The user's roles with their scopes. */
  roles: RoleContext[];
  organizations?: Array<{ id: string; name: string; description: string | null }>;
  organizationRoles?: Array<{ organizationId: string; roleId: string; roleName: string }>;
  [field: string]: unknown;
}
interface AccessTokenContext {
  user: UserContext;
  /** Present after token exchange (impersonation): the context given when the subject token was created. */
  grant?: { type: 'urn:ietf:params:oauth:grant-type:token-exchange'; subjectTokenContext: Record<string, unknown> };
  application?: ApplicationContext;
}
`;

export function typingsFor(tokenType: TokenType): string {
  const [token, context, body] = tokenType === 'client-credentials'
    ? ['ClientCredentialsPayload', 'ClientCredentialsContext', CLIENT_CREDENTIALS]
    : ['AccessTokenPayload', 'AccessTokenContext', ACCESS_TOKEN];
  return `${COMMON}${body}
interface CustomJwtClaimsPayload {
  token: ${token};
  context: ${context};
  environmentVariables: EnvironmentVariables;
  api: CustomJwtApi;
}
/** The function Sigil calls for every ${tokenType === 'client-credentials' ? 'machine-to-machine' : 'user access'} token. */
type GetCustomJwtClaims = (payload: CustomJwtClaimsPayload) => CustomClaims | Promise<CustomClaims>;
`;
}
