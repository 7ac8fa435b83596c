// A Management API route: its schemas (which validate requests and generate the OpenAPI document), the
// scope it needs, and a thin handler that calls a service.
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

export type Route<P = any, Q = any, B = any> = {
  method: Method;
  path: string;
  scope: ManagementScope;
  summary: string;
  tag: string;
  /** OpenAPI operationId; derived from method and path when absent (`GET /api/users/:userId` -> `getUser`). */
  operationId?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Response body schema; lists are arrays. */
  response?: z.ZodType;
  status: number;
  /** Error statuses this route can answer, for the OpenAPI document. */
  errors?: number[];
  paginated?: boolean;
  handler: (ctx: RouteContext<P, Q, B>) => Promise<HandlerResult>;
};

/** Typed helper: infers P/Q/B from the schemas given. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(r: Route<P, Q, B>): Route<P, Q, B> {
  return r;
}
