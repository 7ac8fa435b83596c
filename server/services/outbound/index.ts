// SSRF-safe outbound HTTP for admin-chosen destinations (claim-script fetch, webhooks).
export { OutboundError, isOutboundError, type OutboundErrorCode } from './errors.ts';
export { blockedReason, isBlockedAddress } from './ip.ts';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_OUTBOUND_TIMEOUT_MS,
  parseOutboundUrl,
  safeRequest,
  type ResolvedAddress,
  type Resolver,
  type SafeRequestOptions,
  type SafeResponse,
} from './safe-request.ts';
