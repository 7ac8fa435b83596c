// Goal 2: token introspection (RFC 7662), the same token over and over, by an authenticated client.
// - opaque: Sigil's opaque token vs the peer's opaque token (an in-memory lookup there);
// - JWT: Sigil's JWT access token vs the peer's opaque token. node-oidc-provider does not introspect the JWT
//   access tokens it issues (it keeps no record of them and answers active: false), so its opaque
//   introspection, its cheapest path, is the baseline for both.
// Then revocation must take effect at once: a token introspected (and so just seen) is revoked, and the very
// next introspection on the same instance must answer active: false.
import { postForm, type Client } from '../lib/http.ts';
import { formatRatios, goal } from '../lib/report.ts';
import { ratio } from '../lib/rounds.ts';
import type { Scenario, Server } from '../lib/scenario.ts';
import { BENCH_OPAQUE_RESOURCE, BENCH_RESOURCE, createBenchApp, introspectionTarget, tokenParams } from '../lib/setup.ts';

async function token(server: Server, client: Client, resource: string): Promise<string> {
  const res = await postForm(`${server.url}${server.tokenPath}`, client, tokenParams(resource));
  const body = JSON.parse(res.body) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`${server.label}: token for ${resource} failed: ${res.status} ${res.body}`);
  return body.access_token;
}

const introspect = async (server: Server, client: Client, t: string) =>
  (JSON.parse((await postForm(`${server.url}${server.introspectionPath}`, client, { token: t })).body) as { active?: boolean }).active;

/** Revoked right after being introspected: is the next introspection inactive? */
async function revocationAtOnce(sigil: Server, client: Client, resource: string): Promise<boolean> {
  const t = await token(sigil, client, resource);
  if ((await introspect(sigil, client, t)) !== true) return false;
  const revoked = await postForm(`${sigil.url}/oidc/token/revocation`, client, { token: t });
  if (revoked.status !== 200) throw new Error(`revocation: ${revoked.status} ${revoked.body}`);
  return (await introspect(sigil, client, t)) === false;
}

const scenario: Scenario = {
  name: 'introspection',
  description: 'POST token/introspection of one token (opaque, JWT), client_secret_basic',
  async run(ctx) {
    const [sigil, peer] = await Promise.all([ctx.sigil(), ctx.peer()]);
    const app = await createBenchApp(sigil, 'Bench introspection client');
    const peerOpaque = await token(peer, peer.client, BENCH_OPAQUE_RESOURCE);
    const peerTarget = introspectionTarget('peer', peer, peer.client, peerOpaque);

    const opaque = await ctx.measure({
      title: 'introspection of an opaque token',
      targets: [introspectionTarget('sigil', sigil, app, await token(sigil, app, BENCH_OPAQUE_RESOURCE)), peerTarget],
    });
    const jwt = await ctx.measure({
      title: 'introspection of a JWT (peer: its opaque token)',
      targets: [introspectionTarget('sigil', sigil, app, await token(sigil, app, BENCH_RESOURCE)), peerTarget],
    });
    const revoked = { opaque: await revocationAtOnce(sigil, app, BENCH_OPAQUE_RESOURCE), jwt: await revocationAtOnce(sigil, app, BENCH_RESOURCE) };
    return {
      measurements: [opaque, jwt],
      goals: [
        goal('2a', 'introspection, opaque: Sigil / peer throughput', ratio(opaque, 'sigil', 'peer', 'rps').median, '>=', 1.5),
        goal('2b', 'introspection, JWT: Sigil / peer throughput', ratio(jwt, 'sigil', 'peer', 'rps').median, '>=', 1.5),
        goal('2c', 'introspection: revocation effective at once (opaque and JWT)', revoked.opaque && revoked.jwt ? 1 : 0, '>=', 1, {
          unit: '',
          detail: `(revoke right after an introspection, then introspect: opaque ${revoked.opaque ? 'inactive' : 'STILL ACTIVE'}, JWT ${revoked.jwt ? 'inactive' : 'STILL ACTIVE'})`,
        }),
      ],
      notes: [
        `opaque: ${formatRatios(opaque, 'sigil', 'peer')}`,
        `JWT: ${formatRatios(jwt, 'sigil', 'peer')}`,
        'node-oidc-provider answers active: false for the JWT access tokens it issues (it keeps no record of them); its opaque introspection is the JWT baseline.',
      ],
    };
  },
};

export default scenario;
