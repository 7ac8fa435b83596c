import type { OAuthClient } from '../../services/clients.ts';
import type { Form } from '../form.ts';
import type { ProtocolRequest } from '../../http/envelope.ts';

export type GrantContext = {
  req: ProtocolRequest;
  form: Form;
  client: OAuthClient;
  /** Facts the grant adds to the token request's audit record (resource, granted scopes, ...). */
  audit: Record<string, unknown>;
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
