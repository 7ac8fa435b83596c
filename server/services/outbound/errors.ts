export type OutboundErrorCode = 'blocked_address' | 'timeout' | 'too_large' | 'invalid_url' | 'network';

/** The one error type `safeRequest` throws. `code` says what went wrong; `message` is safe to show admins. */
export class OutboundError extends Error {
  readonly code: OutboundErrorCode;

  constructor(code: OutboundErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundError';
    this.code = code;
  }
}

export function isOutboundError(error: unknown): error is OutboundError {
  return error instanceof OutboundError;
}
