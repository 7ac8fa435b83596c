import type { Pagination } from '../schemas/common.ts';

export const skipTake = (p: Pagination) => ({ skip: (p.page - 1) * p.page_size, take: p.page_size });

/** Case-insensitive "contains" that works on SQLite (LIKE is ASCII case-insensitive) and PostgreSQL. */
export function contains(value: string | undefined, provider: 'sqlite' | 'postgresql') {
  if (!value) return undefined;
  return provider === 'postgresql' ? { contains: value, mode: 'insensitive' as const } : { contains: value };
}
