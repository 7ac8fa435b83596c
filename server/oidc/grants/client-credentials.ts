// grant_type=client_credentials (RFC 6749 §4.4) for MachineToMachine apps. Requested scopes are filtered
// to what the app's M2M roles grant on the resource, never rejected for that (Logto's behaviour).
import { draftToken, issueAccessToken } from '../../services/tokens/issue.ts';
import { UnauthorizedClient } from '../errors.ts';
import { requestedScopes, resolveResource } from './resource.ts';
import type { Grant } from './types.ts';

export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  auditKey: 'ExchangeTokenBy.ClientCredentials',
  async handle({ form, client, audit }) {
    if (client.type !== 'MachineToMachine') {
      throw new UnauthorizedClient('only machine-to-machine applications may use the client_credentials grant');
    }
    const resource = await resolveResource(form);
    audit.resource = resource.indicator;
    const granted = client.grantedScopes.get(resource.indicator);
    const scopes = requestedScopes(form).filter((s) => granted?.has(s));
    audit.scope = scopes.join(' ');
    const draft = draftToken({ clientId: client.id, subject: client.id, resource, scopes });
    const token = await issueAccessToken(draft, resource.tokenFormat);
    return {
      access_token: token.accessToken,
      expires_in: token.expiresIn,
      token_type: 'Bearer',
      ...(token.scope ? { scope: token.scope } : {}),
    };
  },
};
