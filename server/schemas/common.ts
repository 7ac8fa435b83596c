import { z } from 'zod';

export const id = z.string().min(1).max(128);

/** Logto's list conventions: page (1-based) and page_size (default 20, max 100). */
export const pagination = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
export type Pagination = z.infer<typeof pagination>;

export const searchQuery = z.object({ search: z.string().max(200).optional() });

export const jsonObject = z.record(z.string(), z.unknown());

/** Epoch milliseconds on the wire, as Logto. */
export const epochMs = z.number().int();

export type Page<T> = { items: T[]; total: number };
