import { env } from '../env.ts';
import { publicProcedure, router } from './init.ts';

export const appRouter = router({
  meta: router({
    /** Public facts the sign-in page shows; nothing sensitive. */
    info: publicProcedure.query(() => ({ issuer: env().issuer, managementApi: env().managementApiIndicator })),
  }),
});

export type AppRouter = typeof appRouter;
