// OAuth errors (RFC 6749 §4.1.2.1 and §5.2, RFC 6750, RFC 7009, RFC 8707, RFC 8693, OIDC Core §3.1.2.6): a
// closed union of codes, one class each, and a single serializer. Anything unexpected becomes server_error
// without leaking internals. The JSON body is Logto's: RFC's `error` and `error_description`, plus `code`
// (`oidc.<error>`) and `message`, which Logto's SDKs need to turn an answer into a typed error.
import { json, type ProtocolResponse } from '../http/envelope.ts';
import { log } from '../log.ts';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
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
export class UnsupportedResponseType extends OAuthError { readonly error = 'unsupported_response_type'; }
export class InvalidScope extends OAuthError { readonly error = 'invalid_scope'; }
export class InvalidTarget extends OAuthError { readonly error = 'invalid_target'; }
/** RFC 6750 §3.1: a missing, expired, revoked or unsuitable bearer token (userinfo). */
export class InvalidToken extends OAuthError { readonly error = 'invalid_token'; override readonly status = 401; }
export class InsufficientScope extends OAuthError { readonly error = 'insufficient_scope'; override readonly status = 403; }
export class AccessDenied extends OAuthError { readonly error = 'access_denied'; }
export class LoginRequired extends OAuthError { readonly error = 'login_required'; }
export class ConsentRequired extends OAuthError { readonly error = 'consent_required'; }
export class RequestNotSupported extends OAuthError { readonly error = 'request_not_supported'; }
export class RequestUriNotSupported extends OAuthError { readonly error = 'request_uri_not_supported'; }
export class RegistrationNotSupported extends OAuthError { readonly error = 'registration_not_supported'; }
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

/** Logto's OIDC error body: `{ error, error_description, code: "oidc.<error>", message }`. */
export function errorBody(error: OAuthError): Record<string, string> {
  return { error: error.error, error_description: error.description, code: `oidc.${error.error}`, message: error.description };
}

export function errorResponse(error: OAuthError, extraHeaders: Record<string, string> = {}): ProtocolResponse {
  const headers: Record<string, string> = { ...NO_STORE, ...extraHeaders };
  if (error instanceof InvalidClient) headers['www-authenticate'] = `Basic realm="Sigil", error="invalid_client"`;
  if (error instanceof InvalidToken || error instanceof InsufficientScope) {
    headers['www-authenticate'] = `Bearer realm="Sigil", error="${error.error}", error_description="${error.description.replace(/["\\]/g, '')}"`;
  }
  if (error instanceof MethodNotAllowed) headers.allow = error.allow;
  return json(error.status, errorBody(error), headers);
}
