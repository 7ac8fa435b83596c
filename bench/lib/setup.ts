// Sigil-side fixtures, created through the Management API like an operator would, and the token requests
// every scenario sends.
import { basic, FORM, type Client } from './http.ts';
import type { LoadRequest, Server, Target } from './scenario.ts';
import type { SigilServer } from './sigil.ts';
import { introspectionCheck, jwtCheck } from './verify.ts';

export const BENCH_RESOURCE = 'https://bench.api';
export const BENCH_OPAQUE_RESOURCE = 'https://bench-opaque.api';
export const BENCH_SCOPE = 'read:bench';

const roles = new WeakMap<SigilServer, Promise<string>>();

/** Two resources (JWT and opaque access tokens) with the bench scope, and an M2M role granting both: once per server. */
function benchRole(sigil: SigilServer): Promise<string> {
  let role = roles.get(sigil);
  if (!role) {
    role = (async () => {
      const scopeIds: string[] = [];
      for (const [indicator, tokenFormat] of [[BENCH_RESOURCE, 'jwt'], [BENCH_OPAQUE_RESOURCE, 'opaque']]) {
        const resource = await sigil.api.call('POST', '/api/resources', { name: `Bench ${tokenFormat}`, indicator, tokenFormat });
        scopeIds.push((await sigil.api.call('POST', `/api/resources/${resource.id}/scopes`, { name: BENCH_SCOPE })).id);
      }
      const created = await sigil.api.call('POST', '/api/roles', { name: 'bench-m2m', description: 'Bench machine-to-machine role', type: 'MachineToMachine', scopeIds });
      return created.id as string;
    })();
    roles.set(sigil, role);
  }
  return role;
}

/** A new M2M application holding the bench role (one per target, so audit rows can be counted apart). */
export async function createBenchApp(sigil: SigilServer, name = 'Bench service'): Promise<Client> {
  const roleId = await benchRole(sigil);
  const app = await sigil.api.call('POST', '/api/applications', { name, type: 'MachineToMachine' });
  await sigil.api.call('POST', `/api/applications/${app.id}/roles`, { roleIds: [roleId] });
  if (typeof app.secret !== 'string') throw new Error(`application create returned no secret: ${JSON.stringify(app)}`);
  return { id: app.id, secret: app.secret };
}

export const tokenParams = (resource = BENCH_RESOURCE) => ({ grant_type: 'client_credentials', resource, scope: BENCH_SCOPE });

function formRequest(path: string, client: Client, params: Record<string, string>): LoadRequest {
  return { method: 'POST', path, headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) }, body: new URLSearchParams(params).toString() };
}

/** client_credentials for the JWT resource, checked as an ES256 `at+jwt` for the resource and scope. */
export function tokenTarget(label: string, server: Server, client: Client, extra: Partial<Target> & { checkClaims?: (claims: Record<string, unknown>) => string | undefined } = {}): Target {
  const { checkClaims, ...rest } = extra;
  return {
    label,
    server,
    request: formRequest(server.tokenPath, client, tokenParams()),
    verify: jwtCheck(server, { audience: BENCH_RESOURCE, scope: BENCH_SCOPE, checkClaims }),
    ...rest,
  };
}

/** Introspection of one token, which must answer `active: true`. */
export function introspectionTarget(label: string, server: Server, client: Client, token: string): Target {
  if (!server.introspectionPath) throw new Error(`${server.label} has no introspection endpoint`);
  return { label, server, request: formRequest(server.introspectionPath, client, { token }), verify: introspectionCheck };
}
