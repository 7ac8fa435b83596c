// grant_type=refresh_token (RFC 6749 §6, RFC 8707 §2.2). Steps: find the token (refused: unknown, another
// client's, revoked, expired, grant revoked) -> a consumed one is reuse: the same successor inside the grace
// window, else the whole grant is revoked -> the user still live -> `scope` may only narrow, `resource`
// must be one the user authorized -> plan the tokens -> rotate (public clients always; confidential ones
// late in the token's life) -> issue, with an ID token when `openid` was granted.
import { loadImpersonatedUser } from '../../services/impersonation.ts';
import { findRefreshToken, presentedAgain, rotateRefreshToken } from '../../services/sign-in/refresh-tokens.ts';
import { InvalidGrant, InvalidRequest, InvalidScope } from '../errors.ts';
import { requestedScopes } from './resource.ts';
import { refreshTokenExpiry, shouldRotate } from './refresh-policy.ts';
import { issuePlanned, planUserTokens } from './user-tokens.ts';
import type { Grant } from './types.ts';

const REUSED = 'refresh token has already been used; the grant is revoked';

export const refreshToken: Grant = {
  grantType: 'refresh_token',
  auditKey: 'ExchangeTokenBy.RefreshToken',
  publicClients: true,
  async handle(ctx) {
    const { form, client, facts } = ctx;
    const presented = form.get('refresh_token');
    if (presented === undefined) throw new InvalidRequest('refresh_token is missing');
    const token = await findRefreshToken(presented);
    if (!token) throw new InvalidGrant('refresh token is invalid');
    if (token.applicationId !== client.id) throw new InvalidGrant('refresh token was issued to another client');
    facts.userId = token.userId;
    facts.grantId = token.grantId;
    const now = new Date();
    if (token.revokedAt || token.grant.revokedAt) throw new InvalidGrant('refresh token has been revoked');
    if (token.expiresAt <= now || token.grant.expiresAt <= now) throw new InvalidGrant('refresh token has expired');

    // A consumed token: decided before anything else, so a replay outside the window revokes the grant.
    let successor: { id: string; value: string } | undefined;
    if (token.consumedAt) {
      const again = await presentedAgain(token, presented, now);
      if (!again.ok) throw new InvalidGrant(REUSED);
      successor = again;
      facts.refreshTokenReused = true;
    }

    const user = await loadImpersonatedUser(token.userId);
    if (!user || user.isSuspended) throw new InvalidGrant('the user of this refresh token is suspended or deleted');
    const narrowed = requestedScopes(form);
    const unknown = narrowed.filter((s) => !token.scopes.includes(s));
    if (form.get('scope') !== undefined && unknown.length) throw new InvalidScope(`scope ${unknown[0]!.slice(0, 64)} was not granted`);
    const scopes = form.get('scope') !== undefined ? narrowed : token.scopes;

    const plan = await planUserTokens(ctx, {
      user, links: { grantId: token.grantId, familyId: token.familyId }, scopes, resources: token.resources, authTime: token.authTime, gty: 'refresh_token',
    });
    if (!successor && shouldRotate(client, token, now.getTime())) {
      const rotation = await rotateRefreshToken(token, presented, { expiresAt: refreshTokenExpiry(client, token.grant.expiresAt, now.getTime()) }, now);
      if (!rotation.ok) throw new InvalidGrant(REUSED);
      successor = rotation;
    }
    if (successor) facts.refreshTokenId = successor.id;
    return issuePlanned(ctx, plan, successor?.value ?? presented);
  },
};
