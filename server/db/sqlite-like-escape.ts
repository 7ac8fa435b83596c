// SQLite's LIKE has no escape character unless the statement names one, and Prisma never does, so a `%` or
// `_` in a `contains` filter would act as a wildcard there whatever the caller does. Every LIKE Prisma
// writes (`LIKE ('%' || ? || '%')` for contains) gets `ESCAPE '\'` here, so dialect/text-match.ts escapes
// `\`, `%` and `_` the same way on both databases (PostgreSQL's LIKE escapes with `\` by default).
import type { SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';

// A parameter pattern, bare or wrapped in `'%' || ... || '%'` (contains, startsWith, endsWith), not yet escaped.
const UNESCAPED_LIKE = /\bLIKE (?:\?|\((?:'%' \|\| )?\?(?: \|\| '%')?\))(?! ESCAPE)/g;

function withEscape(query: SqlQuery): SqlQuery {
  return query.sql.includes(' LIKE ') ? { ...query, sql: query.sql.replace(UNESCAPED_LIKE, "$& ESCAPE '\\'") } : query;
}

/** `target` with its queries rewritten, and the transactions and connections it opens wrapped the same way. */
function wrap<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'queryRaw' || prop === 'executeRaw') return (query: SqlQuery) => value.call(t, withEscape(query));
      if (prop === 'connect' || prop === 'connectToShadowDb' || prop === 'startTransaction') {
        return async (...args: unknown[]) => wrap(await value.apply(t, args));
      }
      return value.bind(t);
    },
  });
}

export function escapeLikeOnSqlite<T extends SqlDriverAdapterFactory>(factory: T): T {
  return wrap(factory);
}
