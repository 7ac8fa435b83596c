// Console: signing keys (list with the JWKS cache lifetime in force, rotate, delete a Previous key). Same
// services and schemas as the Management API's /api/configs/oidc/private-keys.
import { signingKeyIdParam, signingKeyRotate } from '../../schemas/signing-keys.ts';
import { jwksMaxAge } from '../../services/signing-keys/key-set.ts';
import * as signingKeys from '../../services/signing-keys/manage.ts';
import { adminProcedure, router } from '../init.ts';

export const signingKeysRouter = router({
  list: adminProcedure.query(async () => {
    const now = new Date();
    const [keys, maxAge] = await Promise.all([signingKeys.listSigningKeys(now), jwksMaxAge(now)]);
    return { keys, jwksMaxAge: maxAge, now: now.getTime() };
  }),
  rotate: adminProcedure.input(signingKeyRotate).mutation(({ ctx, input }) => signingKeys.rotateSigningKeys(ctx.actor, input)),
  delete: adminProcedure.input(signingKeyIdParam).mutation(({ ctx, input }) => signingKeys.deleteSigningKey(ctx.actor, input.keyId)),
});
