// tRPC for the console.
// 1. Context: the request's console session (added with console sign-in).
// 2. Init: superjson-free (all inputs/outputs are plain JSON).
// 3. Procedures: `publicProcedure` only for non-sensitive facts; everything else goes through
//    `adminProcedure` once the console has sessions.
import { initTRPC, TRPCError } from '@trpc/server';
import { DomainError } from '../services/errors.ts';

// 1. Context
export type TrpcContext = { headers: Headers; ip: string | null };
export const createContext = async (opts: { req: Request }): Promise<TrpcContext> => ({
  headers: opts.req.headers,
  ip: null,
});

// 2. Init; domain errors become typed tRPC errors naming the field.
const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: { ...shape.data, field: cause instanceof DomainError ? cause.field : undefined, stack: undefined },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;

/** Maps service errors to tRPC codes. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const e = result.error.cause;
    const code = ({ not_found: 'NOT_FOUND', conflict: 'CONFLICT', invalid_input: 'BAD_REQUEST', unprocessable: 'UNPROCESSABLE_CONTENT', forbidden: 'FORBIDDEN' } as const)[e.kind];
    throw new TRPCError({ code, message: e.message, cause: e });
  }
  return result;
});

// 3. Procedures
export const publicProcedure = t.procedure.use(domainErrors);
