import { z } from 'zod';
import { epochMs, id, jsonObject } from './common.ts';

export const APPLICATION_TYPES = ['MachineToMachine', 'Traditional', 'SPA', 'Native'] as const;
export const applicationType = z.enum(APPLICATION_TYPES);

export const customClientMetadata = z
  .object({ allowTokenExchange: z.boolean().optional() })
  .catchall(z.unknown());

export const applicationCreate = z.object({
  name: z.string().trim().min(1).max(256),
  type: applicationType,
  description: z.string().max(2048).nullish(),
  customClientMetadata: customClientMetadata.optional(),
});
export type ApplicationCreate = z.infer<typeof applicationCreate>;

export const applicationPatch = z
  .object({
    name: z.string().trim().min(1).max(256),
    description: z.string().max(2048).nullable(),
    customClientMetadata: customClientMetadata,
  })
  .partial()
  .strict();
export type ApplicationPatch = z.infer<typeof applicationPatch>;

export const applicationResponse = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  type: applicationType,
  oidcClientMetadata: z.object({ redirectUris: z.array(z.string()), postLogoutRedirectUris: z.array(z.string()) }),
  customClientMetadata: jsonObject,
  isThirdParty: z.boolean(),
  createdAt: epochMs,
});
export type ApplicationResponse = z.infer<typeof applicationResponse>;

/** Only the create response carries the secret, once. */
export const applicationCreatedResponse = applicationResponse.extend({ secret: z.string() });

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

export const applicationListQuery = z.object({
  search: z.string().max(200).optional(),
  types: z.union([applicationType, z.array(applicationType)]).optional(),
});
