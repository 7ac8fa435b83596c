// What a claims script receives as `token` and `context`, shaped as Logto's (so a script written for
// Logto runs unchanged), derived from the draft of the token being issued.
import type { OAuthClient, RoleGrant } from '../clients.ts';
import type { TokenDraft } from '../tokens/issue.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';

/** Logto's `ClientCredentials` token payload (node-oidc-provider's IN_PAYLOAD fields). */
export type ClientCredentialsToken = {
  jti: string;
  aud: string;
  scope?: string;
  clientId: string;
  kind: 'ClientCredentials';
};

/** Logto's user `AccessToken` payload. Sigil issues user tokens only by token exchange (no sessions). */
export type AccessTokenToken = {
  jti: string;
  aud: string;
  scope?: string;
  clientId: string;
  accountId: string;
  gty: string;
  grantId?: string;
  expiresWithSession?: boolean;
  sessionUid?: string;
  sid?: string;
  kind: 'AccessToken';
};

/** The application as scripts see it: Logto's application row without its secret. */
export type ApplicationContext = {
  id: string;
  name: string;
  description: string | null;
  type: string;
  isThirdParty: boolean;
  customClientMetadata: Record<string, unknown>;
  /** Epoch milliseconds, as Logto. */
  createdAt: number;
};

/**
 * M2M context: Logto's `{ application }` plus Sigil's `roles` (the app's M2M roles with their scopes) and,
 * for an organization token, `organization` (see organizations/subject-organizations.ts).
 */
export type ClientCredentialsContext = {
  application: ApplicationContext;
  roles: RoleGrant[];
  organization?: Record<string, unknown>;
};

/** User context (token exchange): Logto's `{ user, grant?, application? }`; `user` as Logto's user context. */
export type AccessTokenContext = {
  user: Record<string, unknown>;
  grant?: { type: string; subjectTokenContext: Record<string, unknown> };
  application?: ApplicationContext;
  [extra: string]: unknown;
};

export type JwtCustomizerToken<T extends JwtCustomizerTokenType> = T extends 'client-credentials' ? ClientCredentialsToken : AccessTokenToken;
export type JwtCustomizerContext<T extends JwtCustomizerTokenType> = T extends 'client-credentials' ? ClientCredentialsContext : AccessTokenContext;

export function clientCredentialsToken(draft: TokenDraft): ClientCredentialsToken {
  return {
    jti: draft.jti,
    aud: draft.aud,
    ...(draft.scope.length ? { scope: draft.scope.join(' ') } : {}),
    clientId: draft.client_id,
    kind: 'ClientCredentials',
  };
}

/** `gty` (and a `grantId` when the grant has one) come from the caller; the rest from the draft. */
export function accessTokenToken(draft: TokenDraft, grant: { gty: string; grantId?: string }): AccessTokenToken {
  return {
    jti: draft.jti,
    aud: draft.aud,
    ...(draft.scope.length ? { scope: draft.scope.join(' ') } : {}),
    clientId: draft.client_id,
    accountId: draft.sub,
    gty: grant.gty,
    ...(grant.grantId ? { grantId: grant.grantId } : {}),
    kind: 'AccessToken',
  };
}

export function applicationContext(client: OAuthClient): ApplicationContext {
  return {
    id: client.id,
    name: client.name,
    description: client.description,
    type: client.type,
    isThirdParty: client.isThirdParty,
    customClientMetadata: client.customClientMetadata,
    createdAt: client.createdAt.getTime(),
  };
}

export function clientCredentialsContext(client: OAuthClient): ClientCredentialsContext {
  return { application: applicationContext(client), roles: client.roles };
}
