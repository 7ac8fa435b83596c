// A Management operation, declared once: method, Logto path, zod params/query/body and response, the
// scope it needs, its success status, and a thin handler that calls one service. The REST API
// (management-api/index.ts), the OpenAPI document (openapi.ts) and the console's tRPC procedures
// (trpc/derive.ts) are all derived from these declarations, so the three cannot drift.
import type { z } from 'zod';
import type { Actor } from '../services/actor.ts';
import type { ManagementScope } from '../services/management-resource.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type HandlerResult = {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  total?: number;
  /** A streamed body (exports): chunks are written as they come, with backpressure; set content-type in headers. */
  stream?: AsyncIterable<string>;
};

export type RouteContext<P, Q, B> = { params: P; query: Q; body: B; actor: Actor; path: string; method: Method };

type Schema = z.ZodType | undefined;
/** The parsed value of an optional schema (`{}` when the operation declares none). */
export type Parsed<S> = [Exclude<S, undefined>] extends [never] ? {} : Exclude<S, undefined> extends z.ZodType ? z.output<Exclude<S, undefined>> : {};
/** What a caller sends for an optional schema. */
export type Raw<S> = [Exclude<S, undefined>] extends [never] ? {} : Exclude<S, undefined> extends z.ZodType ? z.input<Exclude<S, undefined>> : {};

export type Route<
  M extends Method = Method,
  PS extends Schema = any,
  QS extends Schema = any,
  BS extends Schema = any,
  RS extends Schema = any,
  PG extends boolean = boolean,
> = {
  method: M;
  path: string;
  scope: ManagementScope;
  summary: string;
  tag: string;
  /** OpenAPI operationId; derived from method and path when absent (`GET /api/users/:userId` -> `getUser`). */
  operationId?: string;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Response body schema; lists are arrays. */
  response?: RS;
  status: number;
  /** Error statuses this route can answer, for the OpenAPI document. */
  errors?: number[];
  paginated?: PG;
  /** False for REST-only operations the console has no procedure for (streamed exports). */
  console?: false;
  handler: (ctx: RouteContext<Parsed<PS>, Parsed<QS>, Parsed<BS>>) => Promise<HandlerResult>;
};

/** Typed helper: infers the schemas (and so the handler's params/query/body) from the declaration. */
export function route<
  const M extends Method,
  PS extends Schema = undefined,
  QS extends Schema = undefined,
  BS extends Schema = undefined,
  RS extends Schema = undefined,
  const PG extends boolean = false,
>(r: Route<M, PS, QS, BS, RS, PG>): Route<M, PS, QS, BS, RS, PG> {
  return r;
}

/** An area's operations, keyed by the name of the console procedure derived from each. */
export type Operations = Record<string, Route>;

/** The REST route table of some areas, in declaration order (the first matching pattern wins). */
export const routesOf = (...areas: Operations[]): Route[] => areas.flatMap((ops) => Object.values(ops));
