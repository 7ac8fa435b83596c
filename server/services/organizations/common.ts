// Shared by the organization services: Logto's relation error codes, optional pagination, and the
// lookups every membership operation starts with.
import type { Tx } from '../../db/index.ts';
import type { OptionalPagination } from '../../schemas/organizations.ts';
import { DomainError, notFound, unprocessable } from '../errors.ts';

/** Logto's answer to a duplicate name in the organization template: 422 `entity.unique_integrity_violation`. */
export const duplicateName = (entity: string, value: string) =>
  new DomainError('conflict', 'entity.unique_integrity_violation', `An ${entity} with name \`${value}\` already exists.`, 'name');

/** Logto's answer to a relation naming an entity that does not exist: 422 `entity.relation_foreign_key_not_found`. */
export const missingRelation = (entity: string, id: string, field: string) =>
  unprocessable('entity.relation_foreign_key_not_found', `The ${entity} with id \`${id}\` does not exist.`, field);

/** A role of the wrong type for the member (User roles for users, MachineToMachine roles for apps). */
export const roleTypeMismatch = (roleId: string, expected: string, field: string) =>
  unprocessable('entity.db_constraint_violated', `Organization role \`${roleId}\` is not a ${expected} role.`, field);

/** Logto's answer to removing a relation that is not there: 404 `entity.not_found`. */
export const missingLink = (what: string, id: string) =>
  new DomainError('not_found', 'entity.not_found', `The ${what} \`${id}\` does not exist.`);

export const requireMembership = () =>
  unprocessable('organization.require_membership', 'The member must belong to the organization first.');

/** Prisma skip/take for Logto's optional pagination (absent page and page_size = every row). */
export function optionalSkipTake(p: OptionalPagination): { skip?: number; take?: number } {
  if (p.page === undefined && p.page_size === undefined) return {};
  const size = p.page_size ?? 20;
  return { skip: ((p.page ?? 1) - 1) * size, take: size };
}

export const isPaged = (p: OptionalPagination) => p.page !== undefined || p.page_size !== undefined;

export async function requireOrganization(tx: Tx, id: string) {
  const row = await tx.organization.findUnique({ where: { id } });
  if (!row) throw notFound('organization', id);
  return row;
}

/** Ids of `ids` missing from `found`, first one only (the error names it). */
export function firstMissing(ids: string[], found: { id: string }[]): string | undefined {
  const have = new Set(found.map((f) => f.id));
  return ids.find((id) => !have.has(id));
}

export const dedupe = <T>(values: T[]): T[] => [...new Set(values)];
