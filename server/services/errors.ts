// Domain errors: what went wrong in the domain's words. Each entry layer translates them:
// the Management API into 4xx JSON, tRPC into TRPCError, the OAuth layer into OAuth errors.

/** `conflict`: a duplicate (422, Logto's status for those); `state_conflict`: the current state forbids the change (409). */
export type DomainErrorKind = 'not_found' | 'conflict' | 'state_conflict' | 'invalid_input' | 'unprocessable' | 'forbidden';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine code in Logto's style, e.g. `entity.not_exists_with_id`. */
    readonly code: string,
    message: string,
    /** The request field the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (entity: string, id: string) =>
  new DomainError('not_found', 'entity.not_exists_with_id', `The ${entity} with id \`${id}\` does not exist.`);

export const conflict = (entity: string, field: string, value: string) =>
  new DomainError('conflict', `${entity}.${field}_exists`, `A ${entity} with ${field} \`${value}\` already exists.`, field);

export const invalidInput = (field: string, message: string) =>
  new DomainError('invalid_input', 'guard.invalid_input', `${field}: ${message}`, field);

export const unprocessable = (code: string, message: string, field?: string) =>
  new DomainError('unprocessable', code, message, field);

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);

/** Prisma's unique-constraint violation, portable across providers. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}
