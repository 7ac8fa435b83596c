// Impersonation from the console: an administrator issues a subject token for a user through the same
// service as POST /api/subject-tokens (same audit record and webhook, actor = the administrator), for an
// app with token exchange enabled, and gets what it needs to run the exchange by hand.
import { z } from 'zod';
import { env } from '../../env.ts';
import { id } from '../../schemas/common.ts';
import { impersonationCreate } from '../../schemas/subject-tokens.ts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, impersonateFromConsole, impersonationOptions } from '../../services/impersonation.ts';
import { adminProcedure, router } from '../init.ts';

export const impersonationRouter = router({
  /** The apps that may exchange (token exchange enabled, first-party) and the APIs with the user's scopes. */
  options: adminProcedure.input(z.object({ userId: id })).query(async ({ input }) => ({
    ...(await impersonationOptions(input.userId)),
    tokenEndpoint: `${env().issuer}/token`,
  })),

  /** Issue a subject token (shown once; it expires in 10 minutes and works for one exchange). */
  start: adminProcedure.input(impersonationCreate).mutation(async ({ ctx, input }) => {
    const issued = await impersonateFromConsole(ctx.actor, input);
    return {
      subjectToken: issued.subjectToken,
      expiresIn: issued.expiresIn,
      expiresAt: issued.expiresAt,
      applicationId: issued.applicationId,
      tokenEndpoint: `${env().issuer}/token`,
      grantType: TOKEN_EXCHANGE_GRANT,
      subjectTokenType: ACCESS_TOKEN_TYPE,
    };
  }),
});
