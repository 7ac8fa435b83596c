// Impersonation: who may exchange subject tokens, what the impersonated user is granted, and the one
// transaction that consumes a subject token together with its `User.Impersonated` event.
import { db } from '../db/index.ts';
import { hotSqlite } from '../db/sqlite-hot.ts';
import type { ImpersonationCreate } from '../schemas/subject-tokens.ts';
import type { UserResponse } from '../schemas/users.ts';
import type { Actor } from './actor.ts';
import { notFound, unprocessable } from './errors.ts';
import { userOrganizationsContext } from './organizations/subject-organizations.ts';
import { emitDataEvent } from './events/index.ts';
import { consumeSubjectToken, issueSubjectToken, type IssuedSubjectToken } from './subject-tokens.ts';
import { dataChange } from './transaction.ts';
import { toUserResponse, userRowFromSqlite } from './users/response.ts';
import { userRoleGrants, type UserRoleGrant } from './users/role-grants.ts';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * Token exchange is opt-in per app (`customClientMetadata.allowTokenExchange`, Logto's switch) and never
 * open to third-party apps: impersonation is a first-party support tool.
 */
export function mayExchangeTokens(app: { customClientMetadata: unknown; isThirdParty: boolean }): boolean {
  const metadata = app.customClientMetadata as { allowTokenExchange?: unknown } | null;
  return metadata?.allowTokenExchange === true && !app.isThirdParty;
}

export type { UserRoleGrant } from './users/role-grants.ts';

/** The impersonated user: the API's user shape plus their User roles with scopes. */
export type ImpersonatedUser = UserResponse & { roles: UserRoleGrant[] };

/**
 * The user with their User roles and scopes, as tokens see them now. Two reads (the user, the ids of the
 * roles they hold; raw statements on the self-hosted server's SQLite, db/sqlite-hot.ts); what each role
 * grants comes from the configuration cache (users/role-grants.ts).
 */
export async function loadImpersonatedUser(userId: string): Promise<ImpersonatedUser | null> {
  const hot = hotSqlite();
  if (hot) {
    const row = hot.get<Record<string, unknown>>('SELECT * FROM "User" WHERE "id" = ?', [userId]);
    if (!row) return null;
    const roleIds = hot.all<{ roleId: string }>('SELECT "roleId" FROM "UserRole" WHERE "userId" = ?', [userId]).map((r) => r.roleId);
    return { ...toUserResponse(userRowFromSqlite(row)), roles: await userRoleGrants(roleIds) };
  }
  const row = await db().user.findUnique({ where: { id: userId }, include: { roles: { select: { roleId: true } } } });
  if (!row) return null;
  return { ...toUserResponse(row), roles: await userRoleGrants(row.roles.map((r) => r.roleId)) };
}

/** RBAC: the scope names the user's roles grant on one resource. */
export function userScopesOn(user: ImpersonatedUser, indicator: string): Set<string> {
  return new Set(user.roles.flatMap((r) => r.scopes).filter((s) => s.resource.indicator === indicator).map((s) => s.name));
}

/**
 * `context.user` for an `access-token` claims script, in Logto's shape so its scripts run unchanged:
 * the user (never the password hash), roles with scopes, organizations with the user's organization roles
 * (read now), and the collections Sigil does not have (SSO identities, MFA factors) as empty lists.
 */
export async function userClaimsContext(user: ImpersonatedUser): Promise<Record<string, unknown>> {
  return { ...user, ssoIdentities: [], mfaVerificationFactors: [], ...(await userOrganizationsContext(user.id)) };
}

export type Impersonation = {
  subjectTokenId: string;
  tokenHash: string;
  userId: string;
  applicationId: string;
  /** RFC 8693 `act` of the issued token, when an actor token was presented. */
  act?: Record<string, unknown>;
  resource: string;
  scope: string;
};

/**
 * Consume the subject token and record the impersonation in one transaction: the `User.Impersonated`
 * audit record and webhook outbox rows commit with the consumption, or neither happens. Returns false
 * when another exchange won the race (or the token expired or the user was suspended meanwhile).
 */
export async function recordImpersonation(actor: Actor, i: Impersonation): Promise<boolean> {
  return dataChange(async (tx) => {
    if (!(await consumeSubjectToken(tx, i.tokenHash))) return false;
    const data = {
      userId: i.userId,
      applicationId: i.applicationId,
      impersonationId: i.subjectTokenId,
      ...(i.act ? { act: i.act } : {}),
      resource: i.resource,
      scope: i.scope,
    };
    await emitDataEvent(tx, actor, { event: 'User.Impersonated', entity: 'User', entityId: i.userId, data, after: data, userId: i.userId, applicationId: i.applicationId });
    return true;
  });
}

// ---- Console ----------------------------------------------------------------------------------------

export type ExchangeApp = { id: string; name: string; type: string };

/** Apps an administrator can impersonate through: token exchange enabled, first-party. */
export async function listExchangeApps(): Promise<ExchangeApp[]> {
  const rows = await db().application.findMany({
    where: { isThirdParty: false },
    select: { id: true, name: true, type: true, customClientMetadata: true, isThirdParty: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  return rows.filter(mayExchangeTokens).map(({ id, name, type }) => ({ id, name, type }));
}

export type ImpersonationOptions = {
  apps: ExchangeApp[];
  /** The tenant's APIs (never the Management API), each with the scopes this user's roles grant on it. */
  resources: Array<{ indicator: string; name: string; isDefault: boolean; userScopes: string[] }>;
};

/** What the console's Impersonate panel offers for one user. */
export async function impersonationOptions(userId: string): Promise<ImpersonationOptions> {
  const [user, apps, resources] = await Promise.all([
    loadImpersonatedUser(userId),
    listExchangeApps(),
    db().resource.findMany({ where: { isBuiltIn: false }, select: { indicator: true, name: true, isDefault: true }, orderBy: [{ name: 'asc' }, { indicator: 'asc' }] }),
  ]);
  if (!user) throw notFound('user', userId);
  return {
    apps,
    resources: resources.map((r) => ({ ...r, userScopes: [...userScopesOn(user, r.indicator)].sort() })),
  };
}

/**
 * An administrator starts an impersonation from the console for a chosen app. The app is checked up
 * front so the console never hands out a token the app could not exchange; the subject token itself is
 * not bound to the app (Logto's model), the exchange checks the presenting app again.
 */
export async function impersonateFromConsole(actor: Actor, input: ImpersonationCreate): Promise<IssuedSubjectToken & { applicationId: string }> {
  const app = await db().application.findUnique({ where: { id: input.applicationId }, select: { customClientMetadata: true, isThirdParty: true } });
  if (!app) throw notFound('application', input.applicationId);
  if (!mayExchangeTokens(app)) {
    throw unprocessable('application.token_exchange_not_allowed', 'This application does not have token exchange enabled (customClientMetadata.allowTokenExchange).', 'applicationId');
  }
  const issued = await issueSubjectToken(actor, { userId: input.userId, ...(input.context ? { context: input.context } : {}) });
  return { ...issued, applicationId: input.applicationId };
}
