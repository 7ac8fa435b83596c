// Sigil issue 2's throughput goal: client_credentials for a JWT resource, Sigil (audit record per
// request, SQLite) vs node-oidc-provider v9 (the engine under Logto; in-memory, persists nothing).
import { basic, decodeJwt, FORM } from '../lib/http.ts';
import type { Scenario, Target } from '../lib/scenario.ts';
import { BENCH_RESOURCE, BENCH_SCOPE, createBenchApp } from '../lib/setup.ts';

export const tokenBody = new URLSearchParams({ grant_type: 'client_credentials', resource: BENCH_RESOURCE, scope: BENCH_SCOPE }).toString();

/** A 200 carrying an ES256 JWT access token for the bench resource and scope. */
export function verifyBenchToken(response: { status: number; body: string }): { problem?: string; payload?: Record<string, unknown> } {
  if (response.status !== 200) return { problem: `status ${response.status}: ${response.body.slice(0, 300)}` };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(response.body);
  } catch {
    return { problem: `not JSON: ${response.body.slice(0, 300)}` };
  }
  const jwt = decodeJwt(json.access_token);
  if (!jwt) return { problem: `access_token is not a JWT: ${response.body.slice(0, 300)}` };
  if (jwt.header.alg !== 'ES256') return { problem: `JWT alg ${String(jwt.header.alg)}, expected ES256` };
  const aud = jwt.payload.aud;
  if (!(aud === BENCH_RESOURCE || (Array.isArray(aud) && aud.includes(BENCH_RESOURCE)))) return { problem: `JWT aud ${JSON.stringify(aud)}` };
  if (jwt.payload.scope !== BENCH_SCOPE) return { problem: `JWT scope ${JSON.stringify(jwt.payload.scope)}` };
  if (String(json.token_type).toLowerCase() !== 'bearer') return { problem: `token_type ${String(json.token_type)}` };
  return { payload: jwt.payload };
}

export function tokenRequest(target: Target) {
  return {
    method: 'POST' as const,
    path: target.tokenPath,
    headers: { 'content-type': FORM, authorization: basic(target.client.id, target.client.secret) },
    body: tokenBody,
  };
}

const scenario: Scenario = {
  name: 'client-credentials',
  description: 'POST token, grant_type=client_credentials, resource=https://bench.api (JWT, ES256), Basic auth',
  async setup(ctx) {
    const sigil = await ctx.sigil();
    const app = await createBenchApp(sigil);
    const peer = await ctx.peer();
    return {
      targets: [
        { label: 'sigil', origin: sigil.url, tokenPath: sigil.tokenPath, client: app, pid: sigil.pid, auditCount: () => sigil.auditCount(app.id) },
        { label: 'peer', origin: peer.url, tokenPath: peer.tokenPath, client: peer.client, pid: peer.pid },
      ],
      compare: { subject: 'sigil', baseline: 'peer', minThroughputRatio: 2, maxP99Ratio: 1 },
      notes: [
        'peer = node-oidc-provider 9.13.3 with its default in-memory adapter: it persists nothing per request;',
        'Sigil writes one audit record per token request to SQLite (group-committed, durable before the response).',
      ],
    };
  },
  request: tokenRequest,
  verify: (_target, response) => verifyBenchToken(response).problem,
};

export default scenario;
