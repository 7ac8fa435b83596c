// API resources and their scopes in the console: every Management operation on /api/resources (derived
// from its one declaration); the built-in Management API is read-only there as over REST.
import { resourceOps } from '../../management-api/routes/resources.ts';
import { proceduresOf } from '../derive.ts';
import { router } from '../init.ts';

export const resourcesRouter = router(proceduresOf(resourceOps));
