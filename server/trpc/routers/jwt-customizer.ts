// Console: the custom JWT claims playground. Listing, reading, saving, updating and deleting a script are
// the Management operations on /api/configs/jwt-customizer (derived from their one declaration). The
// playground's own view also says whether the script's circuit breaker is tripped and what the sandbox
// limits are, and its test also returns the final token payload the claims would produce (it runs in the
// same sandbox worker pool as issuance, so a looping test cannot stall the server either).
import { z } from 'zod';
import { jwtCustomizerOps } from '../../management-api/routes/jwt-customizer.ts';
import { jwtCustomizerTest, jwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import * as customizers from '../../services/jwt-customizer/index.ts';
import { DEFAULT_LIMITS } from '../../services/sandbox/index.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';

export const jwtCustomizerRouter = router({
  ...proceduresOf(jwtCustomizerOps),
  /** The script for a token type or null (with its breaker state), and the sandbox limits. */
  playground: adminProcedure.input(z.object({ tokenType: jwtCustomizerTokenType })).query(async ({ input }) => ({
    customizer: await customizers.findJwtCustomizer(input.tokenType),
    limits: { timeoutMs: DEFAULT_LIMITS.timeoutMs, memoryBytes: DEFAULT_LIMITS.memoryBytes, maxOutputBytes: DEFAULT_LIMITS.maxOutputBytes },
  })),
  /** A run against the samples: failures are results (with kind and position), not errors. */
  test: adminProcedure.input(jwtCustomizerTest).mutation(async ({ input }) => {
    const result = await customizers.testJwtCustomizer(input);
    if (!result.ok) return result;
    return { ...result, token: customizers.previewToken(input.tokenType, input.token, result.claims) };
  }),
});
