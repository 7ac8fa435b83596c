// The token endpoint's view of applications and resources, cached (see cache.ts for the staleness bound).
import { randomBytes } from 'node:crypto';
import { db } from '../db/index.ts';
import { cached } from './cache.ts';
import { constantTimeEqual } from './crypto.ts';
import { secretHash } from './instance-key.ts';

export type RoleGrant = {
  id: string;
  name: string;
  description: string;
  scopes: Array<{ id: string; name: string; description: string | null; resourceId: string; resource: string }>;
};

export type OAuthClient = {
  id: string;
  name: string;
  description: string | null;
  type: string;
  isThirdParty: boolean;
  customClientMetadata: Record<string, unknown>;
  /** Exact-match redirect URIs (oidcClientMetadata.redirectUris). */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Origins allowed to call /oidc/token, /oidc/me and /oidc/token/revocation from a browser. */
  corsOrigins: Set<string>;
  createdAt: Date;
  secrets: Array<{ hash: string; expiresAt: number | null }>;
  /** The app's MachineToMachine roles with their scopes (custom claims context gets these). */
  roles: RoleGrant[];
  /** resource indicator -> scope names granted by the app's M2M roles */
  grantedScopes: Map<string, Set<string>>;
};

export type OAuthResource = {
  id: string;
  name: string;
  indicator: string;
  accessTokenTtl: number;
  tokenFormat: 'jwt' | 'opaque';
  isDefault: boolean;
  isBuiltIn: boolean;
  scopes: Set<string>;
};

/**
 * Every application id, cached like the rest (ids only: small even for many apps). An unknown id is
 * answered from here, so misses cost no database round trip, the same as a cached known client, and are
 * never stored one by one (random ids cannot grow the cache).
 */
function clientIds(): Promise<ReadonlySet<string>> {
  return cached('client-ids', async () => new Set((await db().application.findMany({ select: { id: true } })).map((a) => a.id)));
}

export async function findClient(id: string): Promise<OAuthClient | null> {
  if (!(await clientIds()).has(id)) return null;
  return cached(`client:${id}`, async () => {
    const app = await db().application.findUnique({
      where: { id },
      include: {
        secrets: { select: { hash: true, expiresAt: true } },
        roles: { include: { role: { include: { scopes: { include: { scope: { include: { resource: true } } } } } } } },
      },
    });
    if (!app) return null;
    const roles: RoleGrant[] = app.roles
      .filter((r) => r.role.type === 'MachineToMachine')
      .map(({ role }) => ({
        id: role.id,
        name: role.name,
        description: role.description,
        scopes: role.scopes.map(({ scope }) => ({
          id: scope.id,
          name: scope.name,
          description: scope.description,
          resourceId: scope.resourceId,
          resource: scope.resource.indicator,
        })),
      }));
    const grantedScopes = new Map<string, Set<string>>();
    for (const scope of roles.flatMap((r) => r.scopes)) {
      const set = grantedScopes.get(scope.resource) ?? new Set<string>();
      set.add(scope.name);
      grantedScopes.set(scope.resource, set);
    }
    const customClientMetadata = (app.customClientMetadata ?? {}) as Record<string, unknown>;
    const { redirectUris, postLogoutRedirectUris } = oidcClientMetadataOf(app.oidcClientMetadata);
    return {
      id: app.id,
      name: app.name,
      description: app.description,
      type: app.type,
      isThirdParty: app.isThirdParty,
      customClientMetadata,
      redirectUris,
      postLogoutRedirectUris,
      corsOrigins: corsOrigins(redirectUris, customClientMetadata.corsAllowedOrigins),
      createdAt: app.createdAt,
      secrets: app.secrets.map((s) => ({ hash: s.hash, expiresAt: s.expiresAt?.getTime() ?? null })),
      roles,
      grantedScopes,
    };
  });
}

/** SPA and Native apps cannot keep a secret: they authenticate with `client_id` alone (method `none`) and must use PKCE. */
export function isPublicClient(client: Pick<OAuthClient, 'type'>): boolean {
  return client.type === 'SPA' || client.type === 'Native';
}

/** The stored oidcClientMetadata (null on apps made before sign-in existed) in Logto's shape. */
export function oidcClientMetadataOf(value: unknown): { redirectUris: string[]; postLogoutRedirectUris: string[] } {
  const v = (value ?? {}) as { redirectUris?: unknown; postLogoutRedirectUris?: unknown };
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((u): u is string => typeof u === 'string') : []);
  return { redirectUris: list(v.redirectUris), postLogoutRedirectUris: list(v.postLogoutRedirectUris) };
}

/** Web origins of the redirect URIs plus customClientMetadata.corsAllowedOrigins. */
function corsOrigins(redirectUris: string[], extra: unknown): Set<string> {
  const origins = new Set<string>();
  for (const uri of [...redirectUris, ...(Array.isArray(extra) ? extra : [])]) {
    try {
      const url = new URL(String(uri));
      if (url.protocol === 'https:' || url.protocol === 'http:') origins.add(url.origin);
    } catch {
      // not a URL: no origin
    }
  }
  return origins;
}

export type SecretCheck = 'valid' | 'expired' | 'invalid';

/**
 * Stands in for a client that does not exist: checking a secret against it costs what a real check
 * costs (one keyed hash, one constant-time compare) and never succeeds.
 */
const UNKNOWN_CLIENT: Pick<OAuthClient, 'secrets'> = { secrets: [{ hash: randomBytes(32).toString('hex'), expiresAt: null }] };

/** A presented secret checked against a client that does not exist: the same work, always 'invalid'. */
export async function checkUnknownClientSecret(presented: string): Promise<SecretCheck> {
  await checkClientSecret(UNKNOWN_CLIENT, presented);
  return 'invalid';
}

/** Constant-time check of a presented secret against every stored hash of the app. */
export async function checkClientSecret(client: Pick<OAuthClient, 'secrets'>, presented: string, now = Date.now()): Promise<SecretCheck> {
  const hash = await secretHash(presented);
  let result: SecretCheck = 'invalid';
  for (const s of client.secrets) {
    if (constantTimeEqual(hash, s.hash)) {
      result = s.expiresAt !== null && s.expiresAt <= now ? 'expired' : 'valid';
    }
  }
  return result;
}

function loadResources(): Promise<Map<string, OAuthResource>> {
  return cached('resources', async () => {
    const rows = await db().resource.findMany({ include: { scopes: { select: { name: true } } } });
    return new Map(
      rows.map((r) => [
        r.indicator,
        {
          id: r.id,
          name: r.name,
          indicator: r.indicator,
          accessTokenTtl: r.accessTokenTtl,
          tokenFormat: r.tokenFormat === 'opaque' ? 'opaque' : 'jwt',
          isDefault: r.isDefault,
          isBuiltIn: r.isBuiltIn,
          scopes: new Set(r.scopes.map((s) => s.name)),
        } satisfies OAuthResource,
      ]),
    );
  });
}

export async function findResource(indicator: string): Promise<OAuthResource | undefined> {
  return (await loadResources()).get(indicator);
}

export async function defaultResource(): Promise<OAuthResource | undefined> {
  for (const r of (await loadResources()).values()) if (r.isDefault) return r;
  return undefined;
}
