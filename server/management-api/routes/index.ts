import type { Route } from '../route.ts';
import { applicationRoutes } from './applications.ts';
import { hookRoutes } from './hooks.ts';
import { jwtCustomizerRoutes } from './jwt-customizer.ts';
import { logRoutes } from './logs.ts';
import { resourceRoutes } from './resources.ts';
import { roleRoutes } from './roles.ts';
import { cookieKeyRoutes } from './cookie-keys.ts';
import { signInExperienceRoutes } from './sign-in-exp.ts';
import { signingKeyRoutes } from './signing-keys.ts';
import { subjectTokenRoutes } from './subject-tokens.ts';
import { userRoutes } from './users.ts';

/** Every Management API route. The OpenAPI document is generated from this list. */
export const ROUTES: Route[] = [...applicationRoutes, ...resourceRoutes, ...roleRoutes, ...userRoutes, ...signingKeyRoutes, ...subjectTokenRoutes, ...logRoutes, ...hookRoutes, ...jwtCustomizerRoutes, ...signInExperienceRoutes, ...cookieKeyRoutes] as Route[];
