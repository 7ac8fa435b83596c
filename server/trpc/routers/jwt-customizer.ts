// Console: the custom JWT claims playground. Same services and schemas as the Management API's
// /api/configs/jwt-customizer; `get` also says whether the script's circuit breaker is tripped, and
// `test` also returns the final token payload the claims would produce (it runs in the same sandbox
// worker pool as issuance, so a looping test cannot stall the server either).
import { z } from 'zod';
import { jwtCustomizerPatch, jwtCustomizerPut, jwtCustomizerTest, jwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import * as customizers from '../../services/jwt-customizer/index.ts';
import { DEFAULT_LIMITS } from '../../services/sandbox/index.ts';
import { adminProcedure, router } from '../init.ts';

const byType = z.object({ tokenType: jwtCustomizerTokenType });

export const jwtCustomizerRouter = router({
  get: adminProcedure.input(byType).query(async ({ input }) => ({
    customizer: await customizers.findJwtCustomizer(input.tokenType),
    limits: { timeoutMs: DEFAULT_LIMITS.timeoutMs, memoryBytes: DEFAULT_LIMITS.memoryBytes, maxOutputBytes: DEFAULT_LIMITS.maxOutputBytes },
  })),
  save: adminProcedure
    .input(byType.extend(jwtCustomizerPut.shape).strict())
    .mutation(async ({ ctx, input: { tokenType, ...body } }) => (await customizers.putJwtCustomizer(ctx.actor, tokenType, body)).value),
  update: adminProcedure
    .input(byType.extend(jwtCustomizerPatch.shape).strict())
    .mutation(({ ctx, input: { tokenType, ...patch } }) => customizers.patchJwtCustomizer(ctx.actor, tokenType, patch)),
  delete: adminProcedure.input(byType).mutation(async ({ ctx, input }) => {
    await customizers.deleteJwtCustomizer(ctx.actor, input.tokenType);
    return { deleted: true };
  }),
  /** A run against the samples: failures are results (with kind and position), not errors. */
  test: adminProcedure.input(jwtCustomizerTest).mutation(async ({ input }) => {
    const result = await customizers.testJwtCustomizer(input);
    if (!result.ok) return result;
    return { ...result, token: customizers.previewToken(input.tokenType, input.token, result.claims) };
  }),
});
