// grant_type=client_credentials (RFC 6749 §4.4) for MachineToMachine apps. Requested scopes are filtered
// to what the app's M2M roles grant on the resource, never rejected for that (Logto's behaviour).
// The `client-credentials` claims script (if any) adds claims under the reserved ones, or denies; never
// for Sigil's own Management API, whose tokens only Sigil reads (it ignores custom claims), so no script
// can lock the operators out of the API that would fix it.
import { draftToken, issueAccessToken, scopeAlwaysStated } from '../../services/tokens/issue.ts';
import { clientCredentialsContext } from '../../services/jwt-customizer/index.ts';
import { UnauthorizedClient } from '../errors.ts';
import type { OAuthResource } from '../../services/clients.ts';
import { customClaims } from './custom-claims.ts';
import { organizationGrant, organizationIdOf } from './organization.ts';
import { organizationContext } from '../../services/organizations/subject-organizations.ts';
import { requestedScopes, resolveResource } from './resource.ts';
import type { Grant } from './types.ts';

export const clientCredentials: Grant = {
  grantType: 'client_credentials',
  auditKey: 'ExchangeTokenBy.ClientCredentials',
  async handle({ req, form, client, facts }) {
    if (client.type !== 'MachineToMachine') {
      throw new UnauthorizedClient('only machine-to-machine applications may use the client_credentials grant');
    }
    const organizationId = organizationIdOf(form.get('organization_id'));
    let resource: OAuthResource;
    let scopes: string[];
    let tokenOrganization: string | undefined;
    if (organizationId) {
      // An organization token (with `resource`, for that resource within the organization).
      facts.organizationId = organizationId;
      const org = await organizationGrant('application', organizationId, client.id, requestedScopes(form), form.all('resource').length ? await resolveResource(form) : undefined);
      ({ resource, scopes } = org);
      tokenOrganization = org.organizationId;
    } else {
      // Logto's text (its RFC 0006 guard): neither a resource, nor a default one, nor an organization.
      resource = await resolveResource(form, 'both `resource` and `organization_id` are not provided');
      const granted = client.grantedScopes.get(resource.indicator);
      scopes = requestedScopes(form).filter((s) => granted?.has(s));
    }
    facts.resource = resource.indicator;
    facts.scope = scopes.join(' ');
    // organization_id is a reserved claim of the draft: no claims script can change it.
    const draft = draftToken({ clientId: client.id, subject: client.id, resource, scopes, organizationId: tokenOrganization });
    const claims = resource.isBuiltIn ? undefined : await customClaims('client-credentials', {
      draft,
      context: async () => ({
        ...clientCredentialsContext(client),
        ...(organizationId ? { organization: await organizationContext('application', organizationId, client.id) } : {}),
      }),
      request: { ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 512) },
    }, facts);
    const token = await issueAccessToken(draft, resource.tokenFormat, claims);
    return {
      access_token: token.accessToken,
      expires_in: token.expiresIn,
      token_type: 'Bearer',
      ...(scopeAlwaysStated(draft) ? { scope: token.scope } : {}),
    };
  },
};
