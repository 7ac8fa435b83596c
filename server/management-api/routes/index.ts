import { routesOf, type Route } from '../route.ts';
import { applicationOps } from './applications.ts';
import { connectorRoutes } from './connectors.ts';
import { hookOps } from './hooks.ts';
import { jwtCustomizerOps } from './jwt-customizer.ts';
import { logOps } from './logs.ts';
import { organizationInvitationRoutes } from './organization-invitations.ts';
import { organizationJitRoutes } from './organization-jit.ts';
import { organizationMemberRoutes } from './organization-members.ts';
import { organizationTemplateRoutes } from './organization-template.ts';
import { organizationRoutes } from './organizations.ts';
import { resourceOps } from './resources.ts';
import { roleOps } from './roles.ts';
import { cookieKeyRoutes } from './cookie-keys.ts';
import { signInExperienceOps } from './sign-in-exp.ts';
import { signingKeyOps } from './signing-keys.ts';
import { subjectTokenRoutes } from './subject-tokens.ts';
import { userOps } from './users.ts';

/**
 * Every Management API route, in matching order. The OpenAPI document is generated from this list; the
 * areas the console manages are keyed by console procedure name (trpc/derive.ts), the others are REST-only.
 */
export const ROUTES: Route[] = [
  ...routesOf(applicationOps, resourceOps, roleOps, userOps, signingKeyOps),
  ...subjectTokenRoutes,
  ...routesOf(logOps, hookOps, jwtCustomizerOps),
  ...connectorRoutes, ...organizationRoutes, ...organizationMemberRoutes, ...organizationTemplateRoutes, ...organizationJitRoutes, ...organizationInvitationRoutes,
  ...routesOf(signInExperienceOps),
  ...cookieKeyRoutes,
] as Route[];
