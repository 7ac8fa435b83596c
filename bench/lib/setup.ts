// Sigil-side fixtures, created through the Management API like an operator would.
import type { SigilServer } from './sigil.ts';

export const BENCH_RESOURCE = 'https://bench.api';
export const BENCH_SCOPE = 'read:bench';

type BenchRole = { resourceId: string; roleId: string };
const roles = new WeakMap<SigilServer, Promise<BenchRole>>();

/** The bench resource (JWT access tokens), its scope and an M2M role granting it: created once per server. */
function benchRole(sigil: SigilServer): Promise<BenchRole> {
  let role = roles.get(sigil);
  if (!role) {
    role = (async () => {
      const resource = await sigil.api.call('POST', '/api/resources', { name: 'Bench API', indicator: BENCH_RESOURCE, tokenFormat: 'jwt' });
      const scope = await sigil.api.call('POST', `/api/resources/${resource.id}/scopes`, { name: BENCH_SCOPE });
      const created = await sigil.api.call('POST', '/api/roles', {
        name: 'bench-m2m',
        description: 'Bench machine-to-machine role',
        type: 'MachineToMachine',
        scopeIds: [scope.id],
      });
      return { resourceId: resource.id as string, roleId: created.id as string };
    })();
    roles.set(sigil, role);
  }
  return role;
}

/** A new M2M application holding the bench role; its secret is only in the creation response. */
export async function createBenchApp(sigil: SigilServer, name = 'Bench service'): Promise<{ id: string; secret: string }> {
  const { roleId } = await benchRole(sigil);
  const app = await sigil.api.call('POST', '/api/applications', { name, type: 'MachineToMachine' });
  await sigil.api.call('POST', `/api/applications/${app.id}/roles`, { roleIds: [roleId] });
  if (typeof app.secret !== 'string') throw new Error(`application create returned no secret: ${JSON.stringify(app)}`);
  return { id: app.id, secret: app.secret };
}
