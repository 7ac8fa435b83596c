// Refresh token lifetime and rotation, Logto's rules (node-oidc-provider's defaults as Logto configures them):
// - lifetime: customClientMetadata.refreshTokenTtlInDays (default 14 days), never past the grant's expiry;
// - rotation: always for public clients (SPA, Native: a leaked token is then caught by reuse detection);
//   for confidential clients once 70 % of the token's life has passed, unless rotateRefreshToken is false.
import { isPublicClient, type OAuthClient } from '../../services/clients.ts';
import { REFRESH_TOKEN_TTL_SECONDS, type StoredRefreshToken } from '../../services/sign-in/refresh-tokens.ts';

function ttlSeconds(client: OAuthClient): number {
  const days = client.customClientMetadata.refreshTokenTtlInDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 90 ? days * 86_400 : REFRESH_TOKEN_TTL_SECONDS;
}

/** A new refresh token's expiry: the client's lifetime from now, never past its grant's end. */
export function refreshTokenExpiry(client: OAuthClient, grantEnd: Date, now = Date.now()): Date {
  return new Date(Math.min(now + ttlSeconds(client) * 1000, grantEnd.getTime()));
}

export function shouldRotate(client: OAuthClient, token: StoredRefreshToken, now = Date.now()): boolean {
  if (isPublicClient(client)) return true;
  if (client.customClientMetadata.rotateRefreshToken === false) return false;
  const lifetime = token.expiresAt.getTime() - token.createdAt.getTime();
  return now - token.createdAt.getTime() >= 0.7 * lifetime;
}
