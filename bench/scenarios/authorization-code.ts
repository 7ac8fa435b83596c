// Issue 12: a person's tokens. A Traditional app (client_secret_basic) signs its user in and then refreshes:
// - authorization_code: each request exchanges a fresh code (resource https://bench.api, scope openid
//   offline_access read:bench) for an ES256 JWT access token, an ID token and a refresh token. Codes are
//   single-use, so each run's codes are minted just before it (SSO flows in a cookie jar, not measured) and
//   sent once each: a run ends when they are all answered, so its length follows the rate.
// - refresh_token: one refresh token presented over and over for the resource (confidential client, early
//   in the token's life, so neither server rotates it): a JWT access token and an ID token each time.
// Sigil (self-hosted, SQLite, an audit record per token request, durable before it answers; codes, grants
// and refresh tokens in the database) against the peer (node-oidc-provider 9, in memory) set up alike.
import { basic, FORM, type Client } from '../lib/http.ts';
import { codeMinter, type CodeFlow } from '../lib/code-flow.ts';
import { formatRatios, goal } from '../lib/report.ts';
import { ratio } from '../lib/rounds.ts';
import type { LoadRequest, Scenario, Server, Target } from '../lib/scenario.ts';
import { BENCH_RESOURCE, BENCH_SCOPE, createBenchApp } from '../lib/setup.ts';
import type { SigilServer } from '../lib/sigil.ts';
import { jwtCheck } from '../lib/verify.ts';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const USER = { identifier: 'bench_user', password: 'bench user password 0123456789' };
const AUTHORIZATION = { scope: `openid offline_access ${BENCH_SCOPE}`, resource: BENCH_RESOURCE, prompt: 'consent' };
/** Codes minted per second of a round (--seconds); every code must be exchanged within its 60 s. */
const CODES_PER_SECOND = 100;

type WebClient = Client & { redirectUri: string };

/** Sigil's side: a User role with the bench scope, a user holding it, a Traditional app (Management API). */
async function sigilWebApp(sigil: SigilServer): Promise<WebClient> {
  await createBenchApp(sigil, 'Bench service (resources)'); // the bench resources, made once per server
  const resources = await sigil.api.call<Array<{ id: string; indicator: string }>>('GET', '/api/resources?page_size=100');
  const resource = resources.find((r) => r.indicator === BENCH_RESOURCE)!;
  const scopes = await sigil.api.call<Array<{ id: string; name: string }>>('GET', `/api/resources/${resource.id}/scopes`);
  const role = await sigil.api.call('POST', '/api/roles', { name: 'bench-user', description: 'Bench end user', type: 'User', scopeIds: [scopes.find((s) => s.name === BENCH_SCOPE)!.id] });
  const user = await sigil.api.call('POST', '/api/users', { username: USER.identifier, password: USER.password });
  await sigil.api.call('POST', `/api/users/${user.id}/roles`, { roleIds: [role.id] });
  const app = await sigil.api.call('POST', '/api/applications', { name: 'Bench web app', type: 'Traditional', oidcClientMetadata: { redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [] } });
  return { id: app.id, secret: app.secret, redirectUri: REDIRECT_URI };
}

const post = (server: Server, client: Client, params: Record<string, string>): Omit<LoadRequest, 'body'> & { body: string } => ({
  method: 'POST', path: server.tokenPath, headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) }, body: new URLSearchParams(params).toString(),
});

/** The access token as for client_credentials (ES256 at+jwt for the resource and scope), plus what a person's tokens add. */
function userTokenCheck(server: Server, needs: string[]) {
  const jwt = jwtCheck(server, { audience: BENCH_RESOURCE, scope: BENCH_SCOPE });
  return async (res: { status: number; body: string }) => {
    const problem = await jwt(res);
    if (problem) return problem;
    const body = JSON.parse(res.body) as Record<string, unknown>;
    const missing = needs.filter((k) => typeof body[k] !== 'string');
    return missing.length ? `no ${missing.join(', ')} in ${res.body.slice(0, 300)}` : undefined;
  };
}

type Side = { label: string; server: Server; client: WebClient; flow: CodeFlow; auditCount?: () => number };

function codeTarget(side: Side, codesPerRun: number): Target {
  const minter = codeMinter(side.flow);
  let verified = false;
  return {
    label: side.label,
    server: side.server,
    async request() {
      const codes = await minter.mint(verified ? codesPerRun : 1);
      verified = true;
      const { body: _, ...request } = post(side.server, side.client, {});
      return { ...request, bodies: codes.map((code) => new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: side.client.redirectUri, resource: BENCH_RESOURCE }).toString()) };
    },
    verify: userTokenCheck(side.server, ['id_token', 'refresh_token']),
    auditCount: side.auditCount,
  };
}

async function refreshTarget(side: Side): Promise<Target> {
  const [code] = await codeMinter(side.flow).mint(1);
  const res = await fetch(`${side.server.url}${side.server.tokenPath}`, post(side.server, side.client, { grant_type: 'authorization_code', code: code!, redirect_uri: side.client.redirectUri }));
  const tokens = (await res.json()) as { refresh_token?: string };
  if (!tokens.refresh_token) throw new Error(`${side.label}: no refresh token from the code exchange: ${JSON.stringify(tokens)}`);
  return {
    label: side.label,
    server: side.server,
    request: post(side.server, side.client, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, resource: BENCH_RESOURCE }),
    verify: userTokenCheck(side.server, ['id_token']),
    auditCount: side.auditCount,
  };
}

const scenario: Scenario = {
  name: 'authorization-code',
  description: 'POST token, grant_type=authorization_code (a fresh code per request) then refresh_token (one token, not rotated); resource=https://bench.api (JWT, ES256) + ID token; Traditional app, client_secret_basic',
  async run(ctx) {
    const [sigil, peer] = await Promise.all([ctx.sigil(), ctx.peer()]);
    const web = await sigilWebApp(sigil);
    // Only token requests: the sign-in and consent records of minting are not the load's.
    const tokenRows = () => sigil.auditPayloads(web.id, 0).filter((p) => String(p.key).startsWith('ExchangeTokenBy.')).length;
    const sides: Side[] = [
      { label: 'sigil', server: sigil, client: web, auditCount: tokenRows, flow: { origin: sigil.url, authorizationPath: '/oidc/auth', clientId: web.id, redirectUri: web.redirectUri, params: AUTHORIZATION, credentials: USER } },
      { label: 'peer', server: peer, client: peer.codeClient, flow: { origin: peer.url, authorizationPath: '/auth', clientId: peer.codeClient.id, redirectUri: peer.codeClient.redirectUri, params: AUTHORIZATION } },
    ];
    const codesPerRun = Math.max(200, Math.round(CODES_PER_SECOND * ctx.options.seconds));
    const codes = await ctx.measure({ title: `authorization_code, ${codesPerRun} fresh codes per run`, targets: sides.map((s) => codeTarget(s, codesPerRun)), warmup: 0 });
    const refresh = await ctx.measure({ title: 'refresh_token, one token (not rotated)', targets: await Promise.all(sides.map(refreshTarget)) });
    return {
      measurements: [codes, refresh],
      goals: [
        // Issue 14 goal 5: the code exchange at least the peer's rate, the refresh grant with `resource` 1.5x.
        goal('12a', 'authorization_code: Sigil / peer throughput', ratio(codes, 'sigil', 'peer', 'rps').median, '>=', 1),
        goal('12b', 'authorization_code: Sigil / peer p99', ratio(codes, 'sigil', 'peer', 'p99').median, 'report'),
        goal('12c', 'refresh_token: Sigil / peer throughput', ratio(refresh, 'sigil', 'peer', 'rps').median, '>=', 1.5),
        goal('12d', 'refresh_token: Sigil / peer p99', ratio(refresh, 'sigil', 'peer', 'p99').median, 'report'),
      ],
      notes: [
        `authorization_code: ${formatRatios(codes, 'sigil', 'peer')}`,
        `refresh_token: ${formatRatios(refresh, 'sigil', 'peer')}`,
        `codes are minted right before each run (SSO in a cookie jar, not measured) and each sent once, so a run lasts as long as ${codesPerRun} exchanges take; no warm-up round for codes (the refresh rounds have one).`,
        'Sigil stores codes, grants and refresh tokens as keyed hashes in SQLite and writes an audit record per token request, durable before it answers; the peer keeps them in memory.',
      ],
    };
  },
};

export default scenario;
