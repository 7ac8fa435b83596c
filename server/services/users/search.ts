// One page of users matching Logto's `search`, as an exact case-insensitive substring.
// Why raw SQL: Prisma's `contains` becomes LIKE without escaping, so `_` and `%` in a search act as
// wildcards (`john_doe` would find `john.doe`), and SQLite's LIKE offers Prisma no ESCAPE clause. A plain
// substring function (`instr` / `strpos`) has no wildcards at all. Only the ids of one page come from here;
// the rows are then read through Prisma as everywhere else.
import { db, dbProvider } from '../../db/index.ts';
import { Prisma } from '../../db/generated/sqlite/client.ts';
import type { Pagination } from '../../schemas/common.ts';

export type UserFilter = {
  search?: string;
  /** Only users that have this role. */
  roleId?: string;
  /** Leave out users that have this role (Logto's `excludeRoleId`). */
  excludeRoleId?: string;
};

const SEARCHED = ['id', 'username', 'primaryEmail', 'primaryPhone', 'name'] as const;

/**
 * Logto sends SQL-LIKE patterns (`%foo%`); the surrounding `%` mean "contains", which is what this does.
 * A search of only `%` signs has nothing inside them: it looks for those signs themselves.
 */
export function searchTerm(search: string | undefined): string | undefined {
  const value = search?.trim();
  return value?.replace(/^%+|%+$/g, '').trim() || value || undefined;
}

function where(filter: UserFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  const term = searchTerm(filter.search);
  if (term) {
    const position = dbProvider() === 'postgresql' ? 'strpos' : 'instr';
    // Phones are stored as digits: `+8613...` finds them too.
    const phone = term.replace(/^\+/, '');
    const columns = SEARCHED.map((c) =>
      Prisma.sql`${Prisma.raw(position)}(lower(coalesce(u.${Prisma.raw(`"${c}"`)}, '')), lower(${c === 'primaryPhone' ? phone : term})) > 0`);
    parts.push(Prisma.sql`(${Prisma.join(columns, ' OR ')})`);
  }
  if (filter.roleId) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "UserRole" r WHERE r."userId" = u."id" AND r."roleId" = ${filter.roleId})`);
  if (filter.excludeRoleId) parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "UserRole" r WHERE r."userId" = u."id" AND r."roleId" = ${filter.excludeRoleId})`);
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

/** Newest first, as Logto lists users. */
export async function findUserPage(filter: UserFilter, page: Pagination): Promise<{ total: number; ids: string[] }> {
  const condition = where(filter);
  const [[count], rows] = await Promise.all([
    db().$queryRaw<{ n: number | bigint }[]>`SELECT count(*) AS n FROM "User" u ${condition}`,
    db().$queryRaw<{ id: string }[]>`SELECT u."id" FROM "User" u ${condition} ORDER BY u."createdAt" DESC, u."id" ASC LIMIT ${page.page_size} OFFSET ${(page.page - 1) * page.page_size}`,
  ]);
  return { total: Number(count?.n ?? 0), ids: rows.map((r) => r.id) };
}

/** The rows of `ids`, in that order. */
export async function usersInOrder(ids: string[]) {
  const rows = await db().user.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
}
