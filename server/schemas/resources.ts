import { z } from 'zod';
import { epochMs, id } from './common.ts';

export const TOKEN_FORMATS = ['jwt', 'opaque'] as const;

/** RFC 8707: an absolute URI without a fragment. */
export const indicator = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return !u.hash && u.protocol.length > 1;
    } catch {
      return false;
    }
  }, 'must be an absolute URI without a fragment (RFC 8707)');

export const accessTokenTtl = z.number().int().min(60).max(60 * 60 * 24 * 30);

export const resourceCreate = z.object({
  name: z.string().trim().min(1).max(256),
  indicator,
  accessTokenTtl: accessTokenTtl.optional(),
  tokenFormat: z.enum(TOKEN_FORMATS).optional(),
  isDefault: z.boolean().optional(),
});
export type ResourceCreate = z.infer<typeof resourceCreate>;

export const resourcePatch = z
  .object({
    name: z.string().trim().min(1).max(256),
    accessTokenTtl,
    tokenFormat: z.enum(TOKEN_FORMATS),
    isDefault: z.boolean(),
  })
  .partial();
// Unknown keys (e.g. `indicator`, which never changes) are stripped, as Logto does.
export type ResourcePatch = z.infer<typeof resourcePatch>;

export const scopeResponse = z.object({
  tenantId: z.string(),
  id,
  resourceId: id,
  name: z.string(),
  description: z.string().nullable(),
  createdAt: epochMs,
});
export type ScopeResponse = z.infer<typeof scopeResponse>;

export const resourceResponse = z.object({
  tenantId: z.string(),
  id,
  name: z.string(),
  indicator: z.string(),
  isDefault: z.boolean(),
  accessTokenTtl: z.number().int(),
  tokenFormat: z.enum(TOKEN_FORMATS),
  isBuiltIn: z.boolean(),
  scopes: z.array(scopeResponse).optional(),
  createdAt: epochMs,
});
export type ResourceResponse = z.infer<typeof resourceResponse>;

/** Scope names are space-delimited on the wire (RFC 6749 §3.3): no spaces, printable ASCII. */
export const scopeName = z
  .string()
  .trim()
  .min(1)
  .max(256)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be printable ASCII without spaces, " or \\ (RFC 6749 §3.3)');

export const scopeCreate = z.object({ name: scopeName, description: z.string().max(2048).nullish() });
export type ScopeCreate = z.infer<typeof scopeCreate>;
export const scopePatch = z.object({ name: scopeName, description: z.string().max(2048).nullable() }).partial().strict();
export type ScopePatch = z.infer<typeof scopePatch>;

export const isDefaultBody = z.object({ isDefault: z.boolean() });
