// Console: signing keys. List, rotate and delete are the Management operations on
// /api/configs/oidc/private-keys (derived from their one declaration); how long JWKS answers may be
// cached now is a fact only the console page shows.
import { signingKeyOps } from '../../management-api/routes/signing-keys.ts';
import { jwksMaxAge } from '../../services/signing-keys/key-set.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';

export const signingKeysRouter = router({
  ...proceduresOf(signingKeyOps),
  /** Seconds a JWKS response may be cached now (shortened while a Next key is pending). */
  jwksMaxAge: adminProcedure.query(() => jwksMaxAge(new Date())),
});
