import type { Pagination } from '../schemas/common.ts';

export const skipTake = (p: Pagination) => ({ skip: (p.page - 1) * p.page_size, take: p.page_size });

/** `value` as a LIKE pattern that matches itself only: `\`, `%` and `_` escaped with `\`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive literal "contains" on SQLite (LIKE is ASCII case-insensitive) and PostgreSQL (ILIKE).
 * Wildcards in `value` match themselves: PostgreSQL's LIKE escapes with `\`, and on SQLite every LIKE gets
 * that escape character from the database layer (db/sqlite-like-escape.ts).
 */
export function contains(value: string | undefined, provider: 'sqlite' | 'postgresql') {
  if (!value) return undefined;
  const pattern = escapeLike(value);
  return provider === 'postgresql' ? { contains: pattern, mode: 'insensitive' as const } : { contains: pattern };
}

/**
 * Logto's `search`: its clients wrap the term in `%` (`%name%`, a LIKE "contains"). That wrapping is
 * unwrapped; everything else, `%` and `_` included, matches itself (so `%`, `x%` or `a%b` stay literal).
 */
export function likeSearch(value: string | undefined, provider: 'sqlite' | 'postgresql') {
  const wrapped = value !== undefined && value.length > 2 && value.startsWith('%') && value.endsWith('%');
  return contains(wrapped ? value.slice(1, -1) : value, provider);
}
