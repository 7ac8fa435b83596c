// POST /oidc/token/revocation (RFC 7009). Unknown or already invalid tokens answer 200 (§2.2). A token
// issued to another client is left alone with exactly the same answer (§2.1): the caller learns nothing
// about whether it is active, and only the audit log notes the attempt. Access tokens: opaque ones are
// marked revoked, JWTs go on the revocation list by `jti`. Refresh tokens: the token's whole family (its
// rotations) and the family's opaque access tokens (§2.1), not the user's other sign-ins to the app.
// Public clients (SPA, Native) revoke with client_id alone, as Logto's SDKs do at sign-out.
import type { OAuthClient } from '../services/clients.ts';
import { findRefreshToken, revokeFamily } from '../services/sign-in/refresh-tokens.ts';
import { checkAccessToken, revokeAccessToken } from '../services/tokens/verify.ts';
import { authenticateClient } from './client-auth.ts';
import { auditedEndpoint } from './audited.ts';
import { InvalidRequest, NO_STORE } from './errors.ts';
import type { Form } from './form.ts';

/** What a revocation request established, for its audit record. */
type RevocationFacts = {
  /** The token revoked (its id), and whose it was. */
  tokenId?: string;
  userId?: string;
  tokenType?: 'refresh_token';
  /** Set when the token was another client's and so left alone (RFC 7009 §2.1). */
  ignored?: string;
};

const NOT_YOURS = 'the token was issued to another client';

async function revokeRefreshToken(token: string, client: OAuthClient, facts: RevocationFacts): Promise<boolean> {
  const row = await findRefreshToken(token);
  if (!row) return false;
  if (row.applicationId !== client.id) {
    facts.ignored = NOT_YOURS;
    return true;
  }
  await revokeFamily(row.familyId);
  facts.tokenId = row.id;
  facts.userId = row.userId;
  facts.tokenType = 'refresh_token';
  return true;
}

async function revokeAnyAccessToken(token: string, client: OAuthClient, facts: RevocationFacts): Promise<boolean> {
  const check = await checkAccessToken(token);
  if (!check.active) return false;
  if (check.token.clientId !== client.id) {
    facts.ignored = NOT_YOURS;
    return true;
  }
  await revokeAccessToken(check.token);
  facts.tokenId = check.token.jti;
  return true;
}

/** `token_type_hint` only decides which kind is looked up first (§2.1). */
async function revoke(form: Form, client: OAuthClient, facts: RevocationFacts): Promise<void> {
  const token = form.get('token');
  if (!token) throw new InvalidRequest('token is missing');
  const order = form.get('token_type_hint') === 'refresh_token' ? [revokeRefreshToken, revokeAnyAccessToken] : [revokeAnyAccessToken, revokeRefreshToken];
  for (const attempt of order) if (await attempt(token, client, facts)) return;
}

/** Recorded only once the client is known: anonymous failures are noise, not events. */
export const revocationEndpoint = auditedEndpoint<RevocationFacts>({
  key: 'RevokeToken',
  cors: true,
  record: 'attributed requests',
  facts: () => ({}),
  async handle(req, form, request, facts) {
    const { client } = await authenticateClient(req, form, undefined, { allowNone: true });
    request.client = client;
    request.applicationId = client.id;
    await revoke(form, client, facts);
    return { status: 200, headers: { ...NO_STORE }, body: '' };
  },
});
