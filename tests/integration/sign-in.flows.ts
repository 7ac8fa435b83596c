// Shared steps of the sign-in suites: a complete code flow for a public client, as Logto's SDK sends it
// (prompt=consent, offline_access, resources), returning the token response.
import * as oauth from 'oauth4webapi';
import { CookieJar, signIn } from '../helpers/sign-in.ts';
import { tokenRequest, type Sigil } from '../helpers/sigil.ts';
import type { SignInFixture } from './sign-in.setup.ts';

export type FlowOptions = {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  resources?: string[];
  prompt?: string;
  jar?: CookieJar;
  identifier?: string;
  password?: string;
  auth?: { id: string; secret: string };
  /** More authorization request parameters (e.g. organization_id). */
  extra?: Record<string, string>;
};

export async function codeFlow(sigil: Sigil, f: SignInFixture, o: FlowOptions = {}) {
  const clientId = o.clientId ?? f.spa.id;
  const redirectUri = o.redirectUri ?? f.redirectUri;
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(`${sigil.url}/oidc/auth`);
  const params: Array<[string, string]> = [
    ['client_id', clientId], ['redirect_uri', redirectUri], ['response_type', 'code'], ['state', 'st'],
    ['scope', o.scope ?? 'openid offline_access profile read:orders write:orders delete:orders'],
    ['prompt', o.prompt ?? 'consent'], ['code_challenge', await oauth.calculatePKCECodeChallenge(verifier)], ['code_challenge_method', 'S256'],
    ...(o.resources ?? [f.indicator]).map((r): [string, string] => ['resource', r]),
    ...Object.entries(o.extra ?? {}),
  ];
  for (const [k, v] of params) url.searchParams.append(k, v);
  const jar = o.jar ?? new CookieJar();
  const { callback } = await signIn(sigil, jar, url.href, { identifier: o.identifier ?? f.user.username, password: o.password ?? f.user.password });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.href}`);
  const tokens = await tokenRequest(sigil, { grant_type: 'authorization_code', client_id: clientId, redirect_uri: redirectUri, code, code_verifier: verifier }, o.auth);
  if (tokens.status !== 200) throw new Error(`exchange: ${JSON.stringify(tokens.body)}`);
  return { jar, tokens: tokens.body as Record<string, string | number>, callback };
}

export const refresh = (sigil: Sigil, clientId: string, refreshToken: string, extra: Record<string, string> = {}, auth?: { id: string; secret: string }) =>
  tokenRequest(sigil, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, ...extra }, auth);
