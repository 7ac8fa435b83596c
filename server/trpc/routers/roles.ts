// Roles in the console: every Management operation on /api/roles (derived from its one declaration).
import { roleOps } from '../../management-api/routes/roles.ts';
import { proceduresOf } from '../derive.ts';
import { router } from '../init.ts';

export const rolesRouter = router(proceduresOf(roleOps));
