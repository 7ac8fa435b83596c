// OAuth errors (RFC 6749 §5.2, RFC 7009, RFC 8707, RFC 8693): a closed union of codes, one class each,
// and a single serializer. Anything unexpected becomes server_error without leaking internals.
import { json, type ProtocolResponse } from '../http/envelope.ts';
import { log } from '../log.ts';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'unsupported_token_type'
  | 'server_error';

export abstract class OAuthError extends Error {
  abstract readonly error: OAuthErrorCode;
  readonly status: number = 400;
  constructor(readonly description: string) {
    super(description);
  }
}

export class InvalidRequest extends OAuthError { readonly error = 'invalid_request'; }
export class InvalidClient extends OAuthError { readonly error = 'invalid_client'; override readonly status = 401; }
export class InvalidGrant extends OAuthError { readonly error = 'invalid_grant'; }
export class UnauthorizedClient extends OAuthError { readonly error = 'unauthorized_client'; }
export class UnsupportedGrantType extends OAuthError { readonly error = 'unsupported_grant_type'; }
export class InvalidScope extends OAuthError { readonly error = 'invalid_scope'; }
export class InvalidTarget extends OAuthError { readonly error = 'invalid_target'; }
export class AccessDenied extends OAuthError { readonly error = 'access_denied'; }
export class UnsupportedTokenType extends OAuthError { readonly error = 'unsupported_token_type'; }
export class ServerError extends OAuthError { readonly error = 'server_error'; override readonly status = 500; }

export class MethodNotAllowed extends InvalidRequest {
  override readonly status = 405;
  constructor(readonly allow: string) {
    super(`method not allowed; use ${allow}`);
  }
}

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  log.error({ err: error }, 'unexpected error in OAuth endpoint');
  return new ServerError('an unexpected error occurred');
}

export function errorResponse(error: OAuthError): ProtocolResponse {
  const headers: Record<string, string> = { ...NO_STORE };
  if (error instanceof InvalidClient) headers['www-authenticate'] = `Basic realm="Sigil", error="invalid_client"`;
  if (error instanceof MethodNotAllowed) headers.allow = error.allow;
  return json(error.status, { error: error.error, error_description: error.description }, headers);
}
