// grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693) for user impersonation: an app
// with token exchange enabled trades a subject token (POST /api/subject-tokens) for an access token whose
// `sub` is the user. Granted scopes are the user's RBAC scopes on the resource intersected with the request.
// An optional actor token adds `act` (RFC 8693 §4.1). The `access-token` claims script sees Logto's context
// (user, grant with the subject token's context, application). Single use is atomic; see recordImpersonation.
import {
  ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, loadImpersonatedUser, mayExchangeTokens, recordImpersonation, userClaimsContext, userScopesOn,
} from '../../services/impersonation.ts';
import { applicationContext } from '../../services/jwt-customizer/index.ts';
import { lookupSubjectToken, type SubjectTokenLookup } from '../../services/subject-tokens.ts';
import { draftToken, issueAccessToken } from '../../services/tokens/issue.ts';
import { checkAccessToken } from '../../services/tokens/verify.ts';
import { InvalidGrant, InvalidRequest, InvalidTarget, UnauthorizedClient } from '../errors.ts';
import type { Form } from '../form.ts';
import { customClaims } from './custom-claims.ts';
import { requestedScopes, resolveResource } from './resource.ts';
import type { Grant } from './types.ts';

const REFUSED: Record<Extract<SubjectTokenLookup, { ok: false }>['reason'], string> = {
  unknown: 'subject token is invalid',
  expired: 'subject token has expired',
  consumed: 'subject token has already been used',
  suspended: 'the subject token user is suspended',
};

/** RFC 8693 §2.1: both token types are required with their tokens; only access tokens are accepted. */
function tokenParam(form: Form, name: 'subject' | 'actor', required: boolean): string | undefined {
  const token = form.get(`${name}_token`);
  const type = form.get(`${name}_token_type`);
  if (token === undefined) {
    if (required) throw new InvalidRequest(`${name}_token is missing`);
    if (type !== undefined) throw new InvalidRequest(`${name}_token_type was given without ${name}_token`);
    return undefined;
  }
  if (type === undefined) throw new InvalidRequest(`${name}_token_type is missing`);
  if (type !== ACCESS_TOKEN_TYPE) {
    throw new InvalidRequest(`${name}_token_type ${type.slice(0, 100)} is not supported; use ${ACCESS_TOKEN_TYPE}`);
  }
  return token;
}

/** `act` for the new token: the actor token's subject, with that token's own `act` nested as the prior chain. */
async function actorClaim(actorToken: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (actorToken === undefined) return undefined;
  const check = await checkAccessToken(actorToken);
  if (!check.active) throw new InvalidGrant('actor_token is not an active access token issued by this server');
  const { sub, act } = check.token.claims as { sub?: unknown; act?: unknown };
  if (typeof sub !== 'string' || !sub) throw new InvalidGrant('actor_token has no subject');
  return { sub, ...(act && typeof act === 'object' ? { act } : {}) };
}

export const tokenExchange: Grant = {
  grantType: TOKEN_EXCHANGE_GRANT,
  auditKey: 'ExchangeTokenBy.TokenExchange',
  async handle({ req, form, client, facts }) {
    if (!mayExchangeTokens(client)) {
      throw new UnauthorizedClient(client.isThirdParty
        ? 'third-party applications cannot use token exchange'
        : 'token exchange is not enabled for this application (customClientMetadata.allowTokenExchange)');
    }
    const subjectToken = tokenParam(form, 'subject', true)!;
    const actorToken = tokenParam(form, 'actor', false);
    const resource = await resolveResource(form);
    facts.resource = resource.indicator;
    // Impersonation is for acting as a user in the tenant's own APIs, never a path into administration.
    if (resource.isBuiltIn) throw new InvalidTarget('the Management API cannot be accessed by token exchange');

    // Every check that can fail runs before the subject token is consumed: a bad request burns nothing.
    const lookup = await lookupSubjectToken(subjectToken);
    if (!lookup.ok) {
      if (lookup.userId) facts.userId = lookup.userId;
      throw new InvalidGrant(REFUSED[lookup.reason]);
    }
    const { token } = lookup;
    facts.userId = token.userId;
    facts.impersonationId = token.id;
    const act = await actorClaim(actorToken);
    if (act) facts.act = act;
    const user = await loadImpersonatedUser(token.userId);
    if (!user) throw new InvalidGrant(REFUSED.unknown);
    if (user.isSuspended) throw new InvalidGrant(REFUSED.suspended);

    const granted = userScopesOn(user, resource.indicator);
    const scopes = requestedScopes(form).filter((s) => granted.has(s));
    facts.scope = scopes.join(' ');
    const draft = draftToken({ clientId: client.id, subject: user.id, resource, scopes, act });
    const userAgent = req.header('user-agent')?.slice(0, 512);
    // The `access-token` claims script runs before consumption: a script that denies burns nothing.
    const claims = await customClaims('access-token', {
      draft,
      context: async () => ({
        user: await userClaimsContext(user),
        grant: { type: TOKEN_EXCHANGE_GRANT, subjectTokenContext: token.context },
        application: applicationContext(client),
      }),
      grant: { gty: TOKEN_EXCHANGE_GRANT, grantId: token.id },
      request: { ip: req.ip, userAgent },
    }, facts);

    const won = await recordImpersonation(
      { type: 'application', id: client.id, ip: req.ip ?? undefined, userAgent },
      { subjectTokenId: token.id, tokenHash: lookup.tokenHash, userId: user.id, applicationId: client.id, act, resource: resource.indicator, scope: facts.scope as string },
    );
    if (!won) throw new InvalidGrant(REFUSED.consumed);

    const issued = await issueAccessToken(draft, resource.tokenFormat, claims);
    return {
      access_token: issued.accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ...(issued.scope ? { scope: issued.scope } : {}),
    };
  },
};
