import { z } from 'zod';
import { epochMs, id } from './common.ts';

export const ROLE_TYPES = ['User', 'MachineToMachine'] as const;
export const roleType = z.enum(ROLE_TYPES);

export const roleCreate = z.object({
  name: z.string().trim().min(1).max(128),
  description: z.string().max(2048),
  type: roleType.optional(),
  scopeIds: z.array(id).max(1000).optional(),
  isDefault: z.boolean().optional(),
});
export type RoleCreate = z.infer<typeof roleCreate>;

export const rolePatch = z
  .object({ name: z.string().trim().min(1).max(128), description: z.string().max(2048), isDefault: z.boolean() })
  .partial()
  .strict();
export type RolePatch = z.infer<typeof rolePatch>;

export const roleResponse = z.object({
  id,
  name: z.string(),
  description: z.string(),
  type: roleType,
  isDefault: z.boolean(),
  createdAt: epochMs,
});
export type RoleResponse = z.infer<typeof roleResponse>;

export const roleListItem = roleResponse.extend({
  usersCount: z.number().int(),
  applicationsCount: z.number().int(),
});

export const scopeIdsBody = z.object({ scopeIds: z.array(id).min(1).max(1000) });
export const roleIdsBody = z.object({ roleIds: z.array(id).min(1).max(1000) });

export const roleListQuery = z.object({
  search: z.string().max(200).optional(),
  type: roleType.optional(),
  excludeUserId: z.string().min(1).max(128).optional(),
  excludeApplicationId: z.string().min(1).max(128).optional(),
});
