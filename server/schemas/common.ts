import { z } from 'zod';

export const id = z.string().min(1).max(128);

/** Logto's list conventions: page (1-based) and page_size (default 20, max 100). */
export const pagination = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('Page number, from 1.'),
  page_size: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page, at most 100.'),
});
export type Pagination = z.infer<typeof pagination>;

/**
 * Logto's optional pagination (applications, resources, hooks): with neither `page` nor `page_size` a list
 * answers every row and no Total-Number; with either, pages as usual.
 */
export const optionalPagination = z.object({
  page: z.coerce.number().int().min(1).optional().describe('Page number, from 1; with neither page nor page_size the list answers every row.'),
  page_size: z.coerce.number().int().min(1).max(100).optional().describe('Items per page (default 20, at most 100); with neither page nor page_size the list answers every row.'),
});

/** The page to read for an optional-pagination query; undefined: every row. */
export function requestedPage(query: { page?: number; page_size?: number }): Pagination | undefined {
  if (query.page === undefined && query.page_size === undefined) return undefined;
  return { page: query.page ?? 1, page_size: query.page_size ?? 20 };
}

/** Every row, as a Pagination (the largest LIMIT every supported database takes as a plain integer). */
export const EVERY_ROW: Pagination = { page: 1, page_size: 2_147_483_647 };

export const searchQuery = z.object({ search: z.string().max(200).optional() });

export const jsonObject = z.record(z.string(), z.unknown());

/** Epoch milliseconds on the wire, as Logto. */
export const epochMs = z.number().int();

export type Page<T> = { items: T[]; total: number };
