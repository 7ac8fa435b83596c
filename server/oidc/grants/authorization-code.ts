// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5, OIDC Core §3.1.3). Steps: find the code
// (refused: unknown, another client's, expired, replayed — a replay also revokes what the code issued) ->
// redirect_uri equal to the authorization request's -> PKCE S256 -> the grant and the user still live ->
// plan the tokens -> consume the code in one transaction that records the access token about to be issued
// (for a replay to revoke) and stores the refresh token, when the authorization carried offline_access with
// prompt=consent -> sign and answer.
import { createHash } from 'node:crypto';
import { loadImpersonatedUser } from '../../services/impersonation.ts';
import { consumeCode, findCode, revokeIssuedByCode } from '../../services/sign-in/authorization-codes.ts';
import { newRefreshToken } from '../../services/sign-in/refresh-tokens.ts';
import { refreshTokenExpiry } from './refresh-policy.ts';
import { InvalidGrant, InvalidRequest } from '../errors.ts';
import { constantTimeEqual } from '../../services/crypto.ts';
import { issuePlanned, planUserTokens } from './user-tokens.ts';
import type { Grant } from './types.ts';

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function checkPkce(challenge: string | null, verifier: string | undefined): void {
  if (challenge === null) {
    if (verifier !== undefined) throw new InvalidGrant('code_verifier was sent but the authorization request had no code_challenge');
    return;
  }
  if (verifier === undefined) throw new InvalidGrant('code_verifier is required (PKCE)');
  if (!VERIFIER.test(verifier)) throw new InvalidGrant('code_verifier must be 43-128 characters of [A-Za-z0-9._~-]');
  const computed = createHash('sha256').update(verifier).digest('base64url');
  if (!constantTimeEqual(computed, challenge)) throw new InvalidGrant('PKCE verification failed: code_verifier does not match code_challenge');
}

export const authorizationCode: Grant = {
  grantType: 'authorization_code',
  auditKey: 'ExchangeTokenBy.AuthorizationCode',
  publicClients: true,
  async handle(ctx) {
    const { form, client, facts } = ctx;
    const value = form.get('code');
    if (value === undefined) throw new InvalidRequest('code is missing');
    const redirectUri = form.get('redirect_uri');
    if (redirectUri === undefined) throw new InvalidRequest('redirect_uri is missing');
    const code = await findCode(value);
    if (!code) throw new InvalidGrant('authorization code is invalid');
    if (code.applicationId !== client.id) throw new InvalidGrant('authorization code was issued to another client');
    facts.userId = code.userId;
    if (code.consumedAt) {
      await revokeIssuedByCode(code.id);
      throw new InvalidGrant('authorization code has already been used; the tokens it issued are revoked');
    }
    if (code.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('authorization code has expired');
    if (code.redirectUri !== redirectUri) throw new InvalidGrant('redirect_uri does not match the authorization request');
    checkPkce(code.codeChallenge, form.get('code_verifier'));
    if (code.grant.revokedAt || code.grant.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('the grant of this authorization code has been revoked');
    const user = await loadImpersonatedUser(code.userId);
    if (!user || user.isSuspended) throw new InvalidGrant('the user of this authorization code is suspended or deleted');

    const links = { grantId: code.grantId, familyId: code.id };
    const plan = await planUserTokens(ctx, {
      user, links, scopes: code.scopes, resources: code.resources, authTime: code.authTime, nonce: code.nonce, gty: 'authorization_code',
      organizationId: code.organizationId,
    });
    const refresh = code.offlineAccess
      ? await newRefreshToken({
          ...links, applicationId: client.id, userId: user.id, scopes: code.scopes, resources: code.resources, authTime: code.authTime,
          expiresAt: refreshTokenExpiry(client, code.grant.expiresAt),
        })
      : undefined;
    const { jti, format, exp } = plan.accessToken;
    if (!(await consumeCode(code.id, { accessToken: { jti, format, exp } }, refresh?.row))) {
      await revokeIssuedByCode(code.id);
      throw new InvalidGrant('authorization code has already been used; the tokens it issued are revoked');
    }
    if (refresh) facts.refreshTokenId = refresh.id;
    return issuePlanned(ctx, plan, refresh?.value);
  },
};
