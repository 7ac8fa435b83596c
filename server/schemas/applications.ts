import { z } from 'zod';
import { epochMs, id, jsonObject } from './common.ts';

export const APPLICATION_TYPES = ['MachineToMachine', 'Traditional', 'SPA', 'Native'] as const;
export const applicationType = z.enum(APPLICATION_TYPES);
/** Logto's other types (Protected, SAML): Sigil has none, so as a list filter they match nothing. */
export const LOGTO_ONLY_TYPES = ['Protected', 'SAML'] as const;
const listableType = z.enum([...APPLICATION_TYPES, ...LOGTO_ONLY_TYPES]);

// ---- Redirect URIs and CORS origins (end-user sign-in) ---------------------------------------------

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
/** Schemes that are the web's own or run code: never a private-use (app) scheme. */
const NOT_APP_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'filesystem', 'view-source', 'ftp', 'ws', 'wss', 'mailto', 'tel', 'sms']);

/**
 * Why a redirect URI is refused, or null. https; http only on loopback (RFC 8252 §7.3); a private-use
 * scheme for native apps (RFC 8252 §7.1), accepted on every interactive app type as Logto does; never a
 * fragment (RFC 6749 §3.1.2), credentials or whitespace. Matching at /oidc/auth is exact.
 */
export function redirectUriProblem(value: string): string | null {
  if (value.length > 2048) return 'must be at most 2048 characters';
  if (/[\s#]/.test(value)) return 'must not contain whitespace or a fragment';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URI';
  }
  const scheme = url.protocol.slice(0, -1);
  if (url.username || url.password) return 'must not contain credentials';
  if (scheme === 'https') return url.hostname ? null : 'must have a host';
  if (scheme === 'http') return LOOPBACK.test(url.hostname) ? null : 'http is allowed only on loopback (localhost, 127.0.0.1, [::1]); use https';
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme) || NOT_APP_SCHEMES.has(scheme)) return `the scheme ${scheme} is not allowed`;
  return null;
}

const redirectUri = z.string().superRefine((v, ctx) => {
  const problem = redirectUriProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An origin (scheme://host[:port], nothing else), https or loopback http. */
const corsOrigin = z.string().max(512).superRefine((v, ctx) => {
  let ok = false;
  try {
    const url = new URL(v);
    ok = url.origin === v && (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)));
  } catch {
    ok = false;
  }
  if (!ok) ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://app.example.com (https, or http on loopback; no path)' });
});

export const oidcClientMetadata = z.object({
  redirectUris: z.array(redirectUri).max(50),
  postLogoutRedirectUris: z.array(redirectUri).max(50),
});
export type OidcClientMetadata = z.infer<typeof oidcClientMetadata>;

export const customClientMetadata = z
  .object({
    allowTokenExchange: z.boolean().optional(),
    corsAllowedOrigins: z.array(corsOrigin).max(50).optional(),
    /** Logto's: confidential apps rotate refresh tokens past 70 % of their life unless this is false. */
    rotateRefreshToken: z.boolean().optional(),
    /** Logto's: refresh token lifetime in days (default 14). */
    refreshTokenTtlInDays: z.number().int().min(1).max(90).optional(),
  })
  .catchall(z.unknown());

export const applicationCreate = z.object({
  name: z.string().trim().min(1).max(256),
  type: applicationType,
  description: z.string().max(2048).nullish(),
  oidcClientMetadata: oidcClientMetadata.partial().optional(),
  customClientMetadata: customClientMetadata.optional(),
  /** Third-party apps (Traditional, SPA, Native) always show a consent screen and never exchange tokens. */
  isThirdParty: z.boolean().optional(),
  customData: jsonObject.optional(),
});
export type ApplicationCreate = z.infer<typeof applicationCreate>;

export const applicationPatch = z
  .object({
    name: z.string().trim().min(1).max(256),
    description: z.string().max(2048).nullable(),
    oidcClientMetadata: oidcClientMetadata.partial(),
    customClientMetadata: customClientMetadata,
    /** Replaces the whole object (PATCH /applications/:id/custom-data merges). */
    customData: jsonObject,
    /** Logto's: give (true) or take (false) the built-in Management API role; MachineToMachine apps only. */
    isAdmin: z.boolean(),
  })
  .partial();
// Unknown keys are stripped, as Logto does (issue #16 item 11): a Logto client may send fields Sigil has no use for.
export type ApplicationPatch = z.infer<typeof applicationPatch>;

export const applicationResponse = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  type: applicationType,
  oidcClientMetadata: z.object({ redirectUris: z.array(z.string()), postLogoutRedirectUris: z.array(z.string()) }),
  customClientMetadata: jsonObject,
  isThirdParty: z.boolean(),
  customData: jsonObject,
  /** Only on GET /applications/:id: whether the app holds the built-in Management API role. */
  isAdmin: z.boolean().optional(),
  createdAt: epochMs,
});
export type ApplicationResponse = z.infer<typeof applicationResponse>;

/**
 * With hashed secrets (the default) the create response of a MachineToMachine or Traditional app carries its
 * default secret, once; with SIGIL_CLIENT_SECRETS=retrievable it has none, as Logto (read it from /secrets).
 */
export const applicationCreatedResponse = applicationResponse.extend({ secret: z.string().optional() });

export const secretCreate = z.object({
  name: z.string().trim().min(1).max(256),
  expiresAt: z.number().int().positive().nullish().describe('Epoch milliseconds; omit for no expiry'),
});
export type SecretCreate = z.infer<typeof secretCreate>;

export const secretResponse = z.object({
  applicationId: id,
  name: z.string(),
  /** The first characters only; the full value is returned once, at creation. */
  prefix: z.string(),
  createdAt: epochMs,
  expiresAt: epochMs.nullable(),
});
export const secretCreatedResponse = secretResponse.extend({ value: z.string() });
/** In listings, `value` is present only for secrets kept retrievable (SIGIL_CLIENT_SECRETS=retrievable). */
export const secretListItem = secretResponse.extend({ value: z.string().optional() });
export const secretPatch = z.object({ name: z.string().trim().min(1).max(256) });

export const applicationListQuery = z.object({
  search: z.string().max(200).optional(),
  types: z.union([listableType, z.array(listableType)]).optional(),
  isThirdParty: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Logto's: leave out the apps that already have this role. */
  excludeRoleId: z.string().min(1).max(128).optional(),
});

/** Logto's PATCH /applications/:id/custom-data body: any JSON object, merged key by key. */
export const customDataPatch = jsonObject;
