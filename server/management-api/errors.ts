// Management API errors: JSON `{ code, message, field? }` with a 4xx status, Logto-style codes.
import { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../services/errors.ts';
import { json, type ProtocolResponse } from '../http/envelope.ts';
import { log } from '../log.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS = {
  not_found: 404,
  conflict: 422,
  state_conflict: 409,
  invalid_input: 400,
  unprocessable: 422,
  forbidden: 403,
} satisfies Record<DomainErrorKind, number>;

export function zodToApiError(error: ZodError, where: 'body' | 'query' | 'params'): ApiError {
  const issue = error.issues[0]!;
  // An unknown key is reported on its parent object; name the key itself so callers see what to remove.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const field = path.map(String).join('.') || where;
  return new ApiError(400, 'guard.invalid_input', `Invalid ${where}: ${field}: ${issue.message}`, field);
}

/** Logto answers a bad `page` / `page_size` with 400 `guard.invalid_pagination`; other query fields as usual. */
export function queryError(error: ZodError, paginated: boolean): ApiError {
  const field = error.issues[0]?.path.map(String).join('.');
  if (paginated && (field === 'page' || field === 'page_size')) {
    return new ApiError(400, 'guard.invalid_pagination', `Invalid query: ${field}: ${error.issues[0]!.message}`, field);
  }
  return zodToApiError(error, 'query');
}

export function apiErrorResponse(error: unknown): ProtocolResponse {
  let e: ApiError;
  if (error instanceof ApiError) e = error;
  else if (error instanceof DomainError) e = new ApiError(STATUS[error.kind], error.code, error.message, error.field);
  else {
    log.error({ err: error }, 'unexpected error in Management API');
    e = new ApiError(500, 'unexpected_error', 'An unexpected error occurred.');
  }
  return json(e.status, { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) }, e.headers);
}
