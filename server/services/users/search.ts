// One page of users matching Logto's `search`, as an exact case-insensitive substring.
// Why raw SQL: a LIKE "contains" needs its `_` and `%` escaped, or `john_doe` would find `john.doe`; a
// plain substring function (db/dialect `includesText`) has no wildcards at all. Only the ids of one page
// come from here; the rows are then read through Prisma as everywhere else.
import { escapeLike, includesText, likeMatch, posixMatch, similarToMatch } from '../../db/dialect/index.ts';
import { db } from '../../db/index.ts';
import { Prisma } from '../../db/generated/sqlite/client.ts';
import type { Pagination } from '../../schemas/common.ts';
import { DomainError } from '../errors.ts';
import type { SearchMatch, UserSearch } from './search-syntax.ts';

export type UserFilter = {
  /** The console's search: a case-insensitive substring of any searched field. */
  search?: string;
  /** The Management API's search: Logto's advanced syntax (search-syntax.ts). */
  advanced?: UserSearch;
  /** Only users that have this role. */
  roleId?: string;
  /** Leave out users that have this role (Logto's `excludeRoleId`). */
  excludeRoleId?: string;
  /** Leave out the members of this organization (Logto's `excludeOrganizationId`: the "add members" picker). */
  excludeOrganizationId?: string;
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
    // Phones are stored as digits: `+8613...` finds them too.
    const phone = term.replace(/^\+/, '');
    const columns = SEARCHED.map((c) =>
      includesText(Prisma.sql`lower(coalesce(u.${Prisma.raw(`"${c}"`)}, ''))`, Prisma.sql`lower(${c === 'primaryPhone' ? phone : term})`));
    parts.push(Prisma.sql`(${Prisma.join(columns, ' OR ')})`);
  }
  if (filter.advanced) parts.push(advancedCondition(filter.advanced));
  if (filter.roleId) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "UserRole" r WHERE r."userId" = u."id" AND r."roleId" = ${filter.roleId})`);
  if (filter.excludeRoleId) parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "UserRole" r WHERE r."userId" = u."id" AND r."roleId" = ${filter.excludeRoleId})`);
  if (filter.excludeOrganizationId) {
    parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "OrganizationUser" m WHERE m."userId" = u."id" AND m."organizationId" = ${filter.excludeOrganizationId})`);
  }
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

const column = (field: string) => Prisma.raw(`u."${field}"`);

/** One column against one match, with the operator Logto uses; values are always bound parameters. */
function matchColumn(field: string, { mode, values, substring }: SearchMatch, cs: boolean): Prisma.Sql {
  const col = column(field);
  // Phones are stored as digits: a substring search for `+8613...` finds them too.
  const first = substring ? `%${escapeLike(field === 'primaryPhone' ? values[0]!.replace(/^\+/, '') : values[0]!)}%` : values[0]!;
  switch (mode) {
    case 'exact': {
      const list = Prisma.join([...new Set(values)].map((v) => (cs ? Prisma.sql`${v}` : Prisma.sql`${v.toLowerCase()}`)));
      return cs ? Prisma.sql`${col} IN (${list})` : Prisma.sql`lower(${col}) IN (${list})`;
    }
    case 'like':
      return likeMatch(col, first, cs);
    case 'similar_to':
      return similarToMatch(col, first);
    case 'posix':
      return posixMatch(col, first, cs);
  }
}

/** Each match is true when any of its fields matches; matches are joined by `joint`, as Logto builds it. */
function advancedCondition(search: UserSearch): Prisma.Sql {
  const conditions = search.matches.map((m) => {
    const fields = m.field ? [m.field] : SEARCHED;
    return Prisma.sql`(${Prisma.join(fields.map((f) => matchColumn(f, m, search.isCaseSensitive)), ' OR ')})`;
  });
  return Prisma.sql`(${Prisma.join(conditions, search.joint === 'and' ? ' AND ' : ' OR ')})`;
}

/** Newest first, as Logto lists users. */
export async function findUserPage(filter: UserFilter, page: Pagination): Promise<{ total: number; ids: string[] }> {
  const condition = where(filter);
  try {
    const [[count], rows] = await Promise.all([
      db().$queryRaw<{ n: number | bigint }[]>`SELECT count(*) AS n FROM "User" u ${condition}`,
      db().$queryRaw<{ id: string }[]>`SELECT u."id" FROM "User" u ${condition} ORDER BY u."createdAt" DESC, u."id" ASC LIMIT ${page.page_size} OFFSET ${(page.page - 1) * page.page_size}`,
    ]);
    return { total: Number(count?.n ?? 0), ids: rows.map((r) => r.id) };
  } catch (error) {
    // A pattern JavaScript accepts can still be one the database's pattern engine refuses.
    if (filter.advanced?.matches.some((m) => m.mode === 'posix' || m.mode === 'similar_to')) {
      throw new DomainError('invalid_input', 'request.invalid_input', 'A search pattern is not valid for the database.', 'search');
    }
    throw error;
  }
}

/** The rows of `ids`, in that order. */
export async function usersInOrder(ids: string[]) {
  const rows = await db().user.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
}
