// The interaction: one authorization request between /oidc/auth and the redirect back to the app. The
// protocol layer validates the request and stores it; the sign-in pages (and later Logto's Experience API)
// record who signed in and what they consented to; the protocol layer completes it with a code.

/** A validated authorization request (what /oidc/auth accepted), as stored with the interaction. */
export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  state?: string;
  nonce?: string;
  /** Recognised scopes, in request order: OIDC scopes and scopes of the requested resources. */
  scopes: string[];
  /** RFC 8707 resource indicators (known, not the Management API). */
  resources: string[];
  /** `login`, `consent`, `none`, `select_account` as requested. */
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
  /** PKCE S256 challenge (RFC 7636). */
  codeChallenge?: string;
  /** The organization the first access token is for (the code exchange issues an organization token). */
  organizationId?: string;
};

export type LoginResult = { userId: string; sessionId: string; authTime: Date };
/** A consent decision, tied to the account that made it (a later sign-in as someone else voids it). */
export type ConsentResult = { userId: string } & ({ scopes: string[]; resources: string[] } | { denied: true });

export type InteractionApp = { id: string; name: string; type: string; isThirdParty: boolean };

export type InteractionView = {
  id: string;
  application: InteractionApp;
  request: AuthorizationRequest;
  login: LoginResult | null;
  consent: ConsentResult | null;
  expiresAt: Date;
};

export type RequestMeta = { ip: string | null; userAgent?: string | null };

/** Where an interaction goes next, as /oidc/auth and /oidc/auth/:uid act on it. */
export type Completion =
  | { next: 'sign-in' }
  | { next: 'consent' }
  | { next: 'redirect'; redirectUri: string; params: Record<string, string> };
