import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/trpc/router';
import { createContext } from '@/server/trpc/init';
import { ready } from '@/server/next/ready';
import { log } from '@/server/log';

export const dynamic = 'force-dynamic';

const handler = async (req: Request) => {
  await ready();
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    // Expected failures (validation, not found, unauthorised) are the caller's; log only server faults.
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error, procedure: path }, 'tRPC procedure failed');
    },
  });
};
export { handler as GET, handler as POST };
