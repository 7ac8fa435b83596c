import type { Route } from '../route.ts';
import { applicationRoutes } from './applications.ts';
import { connectorRoutes } from './connectors.ts';
import { hookRoutes } from './hooks.ts';
import { jwtCustomizerRoutes } from './jwt-customizer.ts';
import { logRoutes } from './logs.ts';
import { resourceRoutes } from './resources.ts';
import { roleRoutes } from './roles.ts';
import { signingKeyRoutes } from './signing-keys.ts';
import { subjectTokenRoutes } from './subject-tokens.ts';
import { userRoutes } from './users.ts';

/** Every Management API route. The OpenAPI document is generated from this list. */
export const ROUTES: Route[] = [...applicationRoutes, ...resourceRoutes, ...roleRoutes, ...userRoutes, ...signingKeyRoutes, ...subjectTokenRoutes, ...logRoutes, ...hookRoutes, ...jwtCustomizerRoutes, ...connectorRoutes] as Route[];
