// tRPC for the console.
// 1. Context: request facts, and the administrator session read lazily (one cookie decrypt + one lookup).
// 2. Init: plain JSON (no transformer); domain errors become typed tRPC errors naming the field.
// 3. Procedures:
//    - every mutation must be same-origin (CSRF defence beside SameSite=Lax cookies);
//    - `publicProcedure` only for non-sensitive facts and the one-time first-administrator setup;
//    - `adminProcedure` for everything else: it refuses without a session (UNAUTHORIZED) and gives the
//      procedure `ctx.admin` ({ id, email }) and `ctx.actor`, the Actor that services record.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { requestIp, requestUserAgent, isSameOrigin } from '../auth/request.ts';
import { readAdminSession, type AdminSession } from '../auth/session.ts';
import type { Actor } from '../services/actor.ts';
import { DomainError } from '../services/errors.ts';

// 1. Context
export type TrpcContext = {
  headers: Headers;
  ip: string | null;
  userAgent: string | undefined;
  session: () => Promise<AdminSession | null>;
};

export const createContext = async (opts: { req: Request }): Promise<TrpcContext> => {
  let session: Promise<AdminSession | null> | undefined;
  return {
    headers: opts.req.headers,
    ip: requestIp(opts.req.headers),
    userAgent: requestUserAgent(opts.req.headers),
    session: () => (session ??= readAdminSession(opts.req.headers.get('cookie'))),
  };
};

// 2. Init
const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Input validation: say which field and why, instead of zod's JSON dump.
    const issue = cause instanceof ZodError ? cause.issues[0] : undefined;
    const inputField = issue ? issue.path.join('.') : undefined;
    return {
      ...shape,
      message: issue ? `${inputField ? `${inputField}: ` : ''}${issue.message}` : shape.message,
      data: {
        ...shape.data,
        field: cause instanceof DomainError ? cause.field : inputField,
        domainCode: cause instanceof DomainError ? cause.code : undefined,
        stack: undefined,
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

const TRPC_CODES = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  state_conflict: 'CONFLICT',
  invalid_input: 'BAD_REQUEST',
  unprocessable: 'UNPROCESSABLE_CONTENT',
  forbidden: 'FORBIDDEN',
} as const satisfies Record<DomainError['kind'], TRPCError['code']>;

/** Maps service errors to tRPC codes. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const e = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[e.kind], message: e.message, cause: e });
  }
  return result;
});

/** Refuses cross-site mutations before anything else runs. */
const sameOrigin = t.middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && !isSameOrigin(ctx.headers)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused: console changes must come from the console itself.' });
  }
  return next();
});

// 3. Procedures
export const publicProcedure = t.procedure.use(sameOrigin).use(domainErrors);

export const adminProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const admin = await ctx.session();
  if (!admin) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to the console first (your session may have expired).' });
  const actor: Actor & { type: 'administrator' } = {
    type: 'administrator',
    id: admin.id,
    email: admin.email,
    ip: ctx.ip ?? undefined,
    userAgent: ctx.userAgent,
  };
  return next({ ctx: { admin, actor } });
});
