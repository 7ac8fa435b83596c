import { containsFilter } from '../db/dialect/index.ts';
import type { Pagination } from '../schemas/common.ts';

export const skipTake = (p: Pagination) => ({ skip: (p.page - 1) * p.page_size, take: p.page_size });

/** Case-insensitive literal "contains" (wildcards in `value` match themselves); none for an empty value. */
export function contains(value: string | undefined) {
  return value ? containsFilter(value) : undefined;
}

/**
 * Logto's `search`: its clients wrap the term in `%` (`%name%`, a LIKE "contains"). That wrapping is
 * unwrapped; everything else, `%` and `_` included, matches itself (so `%`, `x%` or `a%b` stay literal).
 */
export function likeSearch(value: string | undefined) {
  const wrapped = value !== undefined && value.length > 2 && value.startsWith('%') && value.endsWith('%');
  return contains(wrapped ? value.slice(1, -1) : value);
}
