// Console list inputs: 1-based page and a page size (the services take Logto's `page_size`).
import { z } from 'zod';
import type { Pagination } from '../schemas/common.ts';
import { id } from '../schemas/common.ts';

export const listInput = z.object({
  search: z.string().trim().max(200).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const toPagination = (input: { page: number; pageSize: number }): Pagination => ({ page: input.page, page_size: input.pageSize });

export const byId = z.object({ id });

/** Every page of a paginated service call, for pickers; bounded so a huge table cannot stall a request. */
export async function allPages<T>(load: (page: Pagination) => Promise<{ items: T[]; total: number }>, maxItems = 1000): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; items.length < maxItems; page++) {
    const result = await load({ page, page_size: 100 });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) break;
  }
  return items.slice(0, maxItems);
}
