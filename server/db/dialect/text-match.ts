// Matching text. LIKE escaping is the same on both databases: PostgreSQL's LIKE escapes with `\` by default,
// and every LIKE Prisma writes on SQLite gets `ESCAPE '\'` from ../sqlite-like-escape.ts. What differs is
// case handling and which pattern operators exist.
import { Prisma } from '../generated/sqlite/client.ts';
import { variant } from './variant.ts';

type Sql = Prisma.Sql;

/** `value` as a LIKE pattern that matches itself only: `\`, `%` and `_` escaped with `\`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A Prisma string filter; `mode` exists on PostgreSQL only. */
export type ContainsFilter = { contains: string; mode?: 'insensitive' };

/**
 * Prisma filter: the column contains `value` literally (wildcards in it match themselves), ignoring case.
 * SQLite's LIKE is already case-insensitive (ASCII) and Prisma offers no `mode` there; PostgreSQL's LIKE is
 * case-sensitive, so it asks for ILIKE.
 */
export function containsFilter(value: string): ContainsFilter {
  const pattern = escapeLike(value);
  return variant<ContainsFilter>({ sqlite: { contains: pattern }, postgresql: { contains: pattern, mode: 'insensitive' } });
}

/**
 * `needle` occurs in `haystack`. A plain substring function, not LIKE, so nothing in the needle can act as
 * a wildcard or need escaping.
 */
export function includesText(haystack: Sql, needle: Sql): Sql {
  return Prisma.sql`${Prisma.raw(variant({ sqlite: 'instr', postgresql: 'strpos' }))}(${haystack}, ${needle}) > 0`;
}

// Logto's advanced user search passes its patterns through to PostgreSQL's operators. SQLite has none of
// them with case control; ../sqlite-search-functions.ts gives each connection JavaScript versions.

/** SQL LIKE (`\` escapes). */
export function likeMatch(value: Sql, pattern: string, caseSensitive: boolean): Sql {
  return variant({
    postgresql: caseSensitive ? Prisma.sql`${value} LIKE ${pattern}` : Prisma.sql`${value} ILIKE ${pattern}`,
    sqlite: Prisma.sql`sigil_like(${value}, ${pattern}, ${caseSensitive ? 1 : 0})`,
  });
}

/** SQL SIMILAR TO, always case-sensitive (as Logto has it). */
export function similarToMatch(value: Sql, pattern: string): Sql {
  return variant({ postgresql: Prisma.sql`${value} SIMILAR TO ${pattern}`, sqlite: Prisma.sql`sigil_similar(${value}, ${pattern})` });
}

/** A POSIX regular expression anywhere in the value. */
export function posixMatch(value: Sql, pattern: string, caseSensitive: boolean): Sql {
  return variant({
    postgresql: caseSensitive ? Prisma.sql`${value} ~ ${pattern}` : Prisma.sql`${value} ~* ${pattern}`,
    sqlite: Prisma.sql`sigil_regexp(${value}, ${pattern}, ${caseSensitive ? 1 : 0})`,
  });
}
