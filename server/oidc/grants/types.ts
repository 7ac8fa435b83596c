import type { OAuthClient } from '../../services/clients.ts';
import type { JwtCustomizerOutcome } from '../../services/jwt-customizer/index.ts';
import type { Form } from '../form.ts';
import type { ProtocolRequest } from '../../http/envelope.ts';

/**
 * What a token request established, for its audit record. A grant sets each fact as soon as it knows it
 * (not only on success), so a refused request still records whose token it was and what it asked for.
 */
export type TokenFacts = {
  resource?: string;
  /** The scopes granted (space-separated), as in the token. */
  scope?: string;
  userId?: string;
  organizationId?: string;
  /** The sign-in grant (user consent) the token comes from. */
  grantId?: string;
  /** The refresh token issued (its id), or whether a rotated one was presented again (reuse). */
  refreshTokenId?: string;
  refreshTokenReused?: boolean;
  /** Token exchange: the subject token consumed, and the actor (RFC 8693 `act`) when one was given. */
  impersonationId?: string;
  act?: Record<string, unknown>;
  /** The access token issued for a sign-in without a resource (its jti). */
  tokenId?: string;
  /** The claims script stage: its report, or how it refused the token. */
  customClaims?: JwtCustomizerOutcome['report'] | { denied: true } | { failed: string; blocked: true };
};

export type GrantContext = {
  req: ProtocolRequest;
  form: Form;
  client: OAuthClient;
  facts: TokenFacts;
};

export type TokenResponseBody = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope?: string;
  issued_token_type?: string;
  id_token?: string;
  refresh_token?: string;
};

export type Grant = {
  grantType: string;
  /** Logto's audit key, e.g. `ExchangeTokenBy.ClientCredentials`. */
  auditKey: string;
  /** Whether public clients (SPA, Native: client_id alone, no secret) may use this grant. */
  publicClients?: boolean;
  handle(ctx: GrantContext): Promise<TokenResponseBody>;
};
