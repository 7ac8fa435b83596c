// Organizations (Logto's RFC 0001): wire shapes of organizations, the organization template (roles and
// scopes), memberships, invitations and just-in-time provisioning.
import { z } from 'zod';
import { epochMs, id, jsonObject } from './common.ts';
import { roleType } from './roles.ts';
import { userResponse } from './users.ts';

const name = z.string().trim().min(1).max(128);
const description = z.string().max(256).nullable();

/** Logto's `q` search plus its list pagination; `page`/`page_size` absent = everything (optional pagination). */
export const searchQ = z.object({ q: z.string().max(200).optional() });
export const optionalPagination = z.object({
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(100).optional(),
});
export type OptionalPagination = z.infer<typeof optionalPagination>;

// ---- Organizations -----------------------------------------------------------------------------------

const hexOrCss = z.string().max(64);
export const organizationColor = z.object({ primaryColor: hexOrCss, darkPrimaryColor: hexOrCss }).partial().strict();
const url = z.string().max(2048);
export const organizationBranding = z.object({ logoUrl: url, darkLogoUrl: url, favicon: url, darkFavicon: url }).partial().strict();

const organizationFields = {
  name,
  description: description.optional(),
  customData: jsonObject.optional(),
  isMfaRequired: z.boolean().optional(),
  color: organizationColor.optional(),
  branding: organizationBranding.optional(),
  customCss: z.string().max(65536).nullable().optional(),
};
export const organizationCreate = z.object(organizationFields).strict();
export type OrganizationCreate = z.infer<typeof organizationCreate>;
export const organizationPatch = z.object(organizationFields).partial().strict();
export type OrganizationPatch = z.infer<typeof organizationPatch>;

export const organizationResponse = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  customData: jsonObject,
  isMfaRequired: z.boolean(),
  color: organizationColor,
  branding: organizationBranding,
  customCss: z.string().nullable(),
  createdAt: epochMs,
});
export type OrganizationResponse = z.infer<typeof organizationResponse>;

export const featuredUser = z.object({ id, avatar: z.string().nullable(), name: z.string().nullable() });
export const organizationListItem = organizationResponse.extend({
  usersCount: z.number().int().optional(),
  featuredUsers: z.array(featuredUser).optional(),
});
export const organizationListQuery = searchQ.extend({ showFeatured: z.string().max(10).optional() });

// ---- Organization scopes and roles (the template) ----------------------------------------------------

export const organizationScopeCreate = z.object({ name, description: description.optional() }).strict();
export type OrganizationScopeCreate = z.infer<typeof organizationScopeCreate>;
export const organizationScopePatch = organizationScopeCreate.partial().strict();
export type OrganizationScopePatch = z.infer<typeof organizationScopePatch>;
export const organizationScopeResponse = z.object({ id, name: z.string(), description: z.string().nullable() });
export type OrganizationScopeResponse = z.infer<typeof organizationScopeResponse>;

const idList = z.array(id).max(1000);
export const organizationRoleCreate = z
  .object({ name, description: description.optional(), type: roleType.optional(), organizationScopeIds: idList.optional(), resourceScopeIds: idList.optional() })
  .strict();
export type OrganizationRoleCreate = z.infer<typeof organizationRoleCreate>;
export const organizationRolePatch = z.object({ name, description, type: roleType }).partial().strict();
export type OrganizationRolePatch = z.infer<typeof organizationRolePatch>;
export const organizationRoleResponse = z.object({ id, name: z.string(), description: z.string().nullable(), type: roleType });
export type OrganizationRoleResponse = z.infer<typeof organizationRoleResponse>;
export const organizationRoleWithScopes = organizationRoleResponse.extend({
  scopes: z.array(z.object({ id, name: z.string() })),
  resourceScopes: z.array(z.object({ id, name: z.string(), resource: z.object({ id, name: z.string() }) })),
});

export const organizationScopeIdsBody = z.object({ organizationScopeIds: z.array(id).min(1).max(1000) }).strict();
export const organizationScopeIdsPut = z.object({ organizationScopeIds: idList }).strict();
export const resourceScopeIdsBody = z.object({ scopeIds: z.array(id).min(1).max(1000) }).strict();
export const resourceScopeIdsPut = z.object({ scopeIds: idList }).strict();

// ---- Members ------------------------------------------------------------------------------------------

export const userIdsBody = z.object({ userIds: z.array(id).min(1).max(1000) }).strict();
export const userIdsPut = z.object({ userIds: idList }).strict();
export const applicationIdsBody = z.object({ applicationIds: z.array(id).min(1).max(1000) }).strict();
export const applicationIdsPut = z.object({ applicationIds: idList }).strict();
export const memberRolesBody = z.object({ organizationRoleIds: idList.optional(), organizationRoleNames: z.array(name).max(1000).optional() }).strict();
export type MemberRolesBody = z.infer<typeof memberRolesBody>;
export const membersRolesBody = (key: 'userIds' | 'applicationIds') =>
  z.object({ [key]: z.array(id).min(1).max(1000), organizationRoleIds: z.array(id).min(1).max(1000) }).strict();

export const roleRef = organizationRoleResponse.pick({ id: true, name: true });
export const organizationUserResponse = userResponse.extend({ organizationRoles: z.array(roleRef) });
export const organizationWithRoles = organizationResponse.extend({ organizationRoles: z.array(roleRef) });
export const membersQuery = searchQ.extend({ organizationRoleId: id.optional() });

// ---- JIT --------------------------------------------------------------------------------------------------

const emailDomain = z.string().trim().toLowerCase().min(1).max(256).regex(/^[a-z0-9.-]+\.[a-z0-9-]+$/i, 'must be an email domain like example.com');
export const emailDomainBody = z.object({ emailDomain }).strict();
export const emailDomainsPut = z.object({ emailDomains: z.array(emailDomain).max(1000) }).strict();
export const emailDomainResponse = z.object({ organizationId: id, emailDomain: z.string() });

// ---- Invitations ------------------------------------------------------------------------------------

export const INVITATION_STATUSES = ['Pending', 'Accepted', 'Expired', 'Revoked'] as const;
export const invitationStatus = z.enum(INVITATION_STATUSES);
export const invitationCreate = z
  .object({
    inviterId: id.nullable().optional(),
    invitee: z.string().trim().toLowerCase().email().max(256),
    organizationId: id,
    expiresAt: z.number().int(),
    organizationRoleIds: idList.optional(),
    messagePayload: z.union([z.literal(false), jsonObject]).optional(),
  })
  .strict();
export type InvitationCreate = z.infer<typeof invitationCreate>;
export const invitationStatusBody = z
  .object({ status: z.enum(['Accepted', 'Revoked']), acceptedUserId: id.nullable().optional() })
  .strict();
export type InvitationStatusBody = z.infer<typeof invitationStatusBody>;
export const invitationResponse = z.object({
  id,
  inviterId: z.string().nullable(),
  invitee: z.string(),
  acceptedUserId: z.string().nullable(),
  organizationId: id,
  status: invitationStatus,
  createdAt: epochMs,
  updatedAt: epochMs,
  expiresAt: epochMs,
  organizationRoles: z.array(roleRef),
});
export type InvitationResponse = z.infer<typeof invitationResponse>;
export const invitationListQuery = z.object({ organizationId: id.optional(), inviterId: id.optional(), invitee: z.string().max(256).optional() });
