// Users in the console: every Management operation on /api/users (derived from its one declaration).
import { userOps } from '../../management-api/routes/users.ts';
import { proceduresOf } from '../derive.ts';
import { router } from '../init.ts';

export const usersRouter = router(proceduresOf(userOps));
