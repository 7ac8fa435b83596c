// The console's procedures for Management operations, derived from their one declaration
// (management-api/route.ts): a GET becomes a query, anything else a mutation. The input is the
// operation's params, query and body side by side in one object (`{ id, ...patch }`), validated by the
// same schemas as the REST API; the output is the declared response (`{ items, total }` for a paginated
// list). Derived procedures run the very handler REST runs, so they cannot drift from it.
import { z } from 'zod';
import type { Actor } from '../services/actor.ts';
import type { Operations, Parsed, Raw, Route } from '../management-api/route.ts';
import { checkResponse } from '../management-api/response-check.ts';
import { adminProcedure } from './init.ts';

type Input<R extends Route> = Raw<R['params']> & Raw<R['query']> & Raw<R['body']>;
type Item<T> = T extends readonly (infer I)[] ? I : never;
type Output<R extends Route> = NonNullable<R['paginated']> extends true
  ? { items: Item<Parsed<R['response']>>[]; total: number }
  : [Exclude<R['response'], undefined>] extends [never] ? void : Parsed<R['response']>;
type Split = { params: unknown; query: unknown; body: unknown };

const keysOf = (schema: z.ZodType | undefined): string[] => (schema instanceof z.ZodObject ? Object.keys(schema.shape) : []);

/**
 * Splits the flat input into the operation's params, query and body, and validates each. Keys that are
 * neither a parameter nor a declared query key go to the body, or to the query when there is no body
 * (Logto's user search takes free `search.<field>` keys).
 */
function inputParser<R extends Route>(route: R) {
  const paramKeys = keysOf(route.params);
  const queryKeys = keysOf(route.query);
  const bodyKeys = keysOf(route.body);
  const clash = [...paramKeys, ...queryKeys].find((k) => bodyKeys.includes(k) || (queryKeys.includes(k) && paramKeys.includes(k)));
  if (clash) throw new Error(`${route.method} ${route.path}: input key ${clash} is both a parameter and a query or body field`);
  const pick = (input: Record<string, unknown>, keep: (k: string) => boolean) => Object.fromEntries(Object.entries(input).filter(([k]) => keep(k)));
  const parse = (input: unknown): Split => {
    if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
      throw new z.ZodError([{ code: 'custom', path: [], message: 'must be an object', input }]);
    }
    const all = (input ?? {}) as Record<string, unknown>;
    const isParam = (k: string) => paramKeys.includes(k);
    const isQuery = (k: string) => queryKeys.includes(k) || (!route.body && !isParam(k));
    return {
      params: route.params ? route.params.parse(pick(all, isParam)) : {},
      query: route.query ? route.query.parse(pick(all, isQuery)) : {},
      body: route.body ? route.body.parse(pick(all, (k) => !isParam(k) && !isQuery(k))) : undefined,
    };
  };
  return { parse } as unknown as { _input: Input<R>; _output: Split; parse: (input: unknown) => Split };
}

async function run<R extends Route>(route: R, actor: Actor, input: Split): Promise<Output<R>> {
  const path = route.path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String((input.params as Record<string, unknown>)[key])));
  const result = await route.handler({ ...input, actor, path, method: route.method } as Parameters<R['handler']>[0]);
  checkResponse(route, result.status ?? route.status, result.body);
  if (route.paginated) {
    const items = result.body as unknown[];
    return { items, total: result.total ?? items.length } as Output<R>;
  }
  return result.body as Output<R>;
}

/** Every procedure made here, so a test can tell derived procedures from hand-written ones. */
export const derivedProcedures = new WeakSet<object>();

function queryOf<R extends Route>(route: R) {
  const procedure = adminProcedure.input(inputParser(route)).query(({ ctx, input }) => run(route, ctx.actor, input));
  derivedProcedures.add(procedure);
  return procedure;
}
function mutationOf<R extends Route>(route: R) {
  const procedure = adminProcedure.input(inputParser(route)).mutation(({ ctx, input }) => run(route, ctx.actor, input));
  derivedProcedures.add(procedure);
  return procedure;
}

export type Procedures<T extends Operations> = {
  [K in keyof T as T[K]['console'] extends false ? never : K]: T[K]['method'] extends 'GET' ? ReturnType<typeof queryOf<T[K]>> : ReturnType<typeof mutationOf<T[K]>>;
};

/** One console procedure per operation of an area (REST-only ones, `console: false`, are skipped). */
export function proceduresOf<T extends Operations>(operations: T): Procedures<T> {
  const out: Record<string, unknown> = {};
  for (const [name, route] of Object.entries(operations)) {
    if (route.console === false) continue;
    out[name] = route.method === 'GET' ? queryOf(route) : mutationOf(route);
  }
  return out as Procedures<T>;
}
