// The console's tRPC API. Each feature registers its router here with one line; every procedure in
// them is an `adminProcedure` unless it is listed as public in tests/integration/trpc-auth.test.ts.
import { env } from '../env.ts';
import { publicProcedure, router } from './init.ts';
import { adminRouter } from './routers/admin.ts';
import { apiReferenceRouter } from './routers/api-reference.ts';
import { applicationsRouter } from './routers/applications.ts';
import { dashboardRouter } from './routers/dashboard.ts';
import { hooksRouter } from './routers/hooks.ts';
import { impersonationRouter } from './routers/impersonation.ts';
import { jwtCustomizerRouter } from './routers/jwt-customizer.ts';
import { logsRouter } from './routers/logs.ts';
import { resourcesRouter } from './routers/resources.ts';
import { rolesRouter } from './routers/roles.ts';
import { signInRouter } from './routers/sign-in.ts';
import { signingKeysRouter } from './routers/signing-keys.ts';
import { usersRouter } from './routers/users.ts';

export const appRouter = router({
  meta: router({
    /** Public facts the sign-in page shows; nothing sensitive. */
    info: publicProcedure.query(() => ({ issuer: env().issuer, managementApi: env().managementApiIndicator })),
  }),
  admin: adminRouter,
  apiReference: apiReferenceRouter,
  dashboard: dashboardRouter,
  impersonation: impersonationRouter,
  jwtCustomizer: jwtCustomizerRouter,
  applications: applicationsRouter,
  resources: resourcesRouter,
  roles: rolesRouter,
  signIn: signInRouter,
  signingKeys: signingKeysRouter,
  users: usersRouter,
  hooks: hooksRouter,
  logs: logsRouter,
});

export type AppRouter = typeof appRouter;
