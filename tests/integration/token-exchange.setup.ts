// Shared setup for the token exchange suites: a CRM API with scopes, a User role granting two of them,
// a user holding that role, a support app with token exchange enabled, and an M2M app to act as actor.
import { managementClient, tokenRequest, type Sigil } from '../helpers/sigil.ts';

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

const rand = () => Math.random().toString(36).slice(2, 8);

export type World = Awaited<ReturnType<typeof buildWorld>>;

export async function buildWorld(sigil: Sigil) {
  const api = await managementClient(sigil);
  const ok = <T extends { status: number; body: any }>(r: T, status: number): T => {
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r;
  };

  const makeResource = async (tokenFormat: 'jwt' | 'opaque') => {
    const indicator = `https://crm.example/${tokenFormat}-${rand()}`;
    const resource = ok(await api.post('/api/resources', { name: `CRM ${tokenFormat}`, indicator, tokenFormat }), 201).body;
    const scopes: Record<string, string> = {};
    for (const name of ['read:tickets', 'write:tickets', 'delete:tickets']) {
      scopes[name] = ok(await api.post(`/api/resources/${resource.id}/scopes`, { name }), 201).body.id;
    }
    return { indicator, id: resource.id as string, scopes };
  };
  const crm = await makeResource('jwt');
  const opaqueCrm = await makeResource('opaque');

  // The user may read and write tickets on both APIs, never delete.
  const role = ok(await api.post('/api/roles', {
    name: `support-${rand()}`, description: 'Ticket agents', type: 'User',
    scopeIds: [crm, opaqueCrm].flatMap((r) => [r.scopes['read:tickets'], r.scopes['write:tickets']]),
  }), 200).body;

  const makeUser = async (username: string) => {
    const user = ok(await api.post('/api/users', { username: `${username}_${rand()}`, name: 'Alice Agent', customData: { plan: 'pro' } }), 200).body;
    ok(await api.post(`/api/users/${user.id}/roles`, { roleIds: [role.id] }), 201);
    return user as { id: string; username: string };
  };
  const alice = await makeUser('alice');

  const makeApp = async (name: string, type: string, allowTokenExchange?: boolean) => {
    const app = ok(await api.post('/api/applications', { name, type }), 200).body;
    if (allowTokenExchange !== undefined) {
      ok(await api.patch(`/api/applications/${app.id}`, { customClientMetadata: { allowTokenExchange } }), 200);
    }
    return { id: app.id as string, secret: app.secret as string };
  };
  const support = await makeApp('Support desk', 'Traditional', true);
  const plain = await makeApp('Plain web app', 'Traditional');
  const switchedOff = await makeApp('Switched off', 'Traditional', false);
  const robot = await makeApp('Ops robot', 'MachineToMachine');

  /** POST /api/subject-tokens as the bootstrap app. */
  const subjectToken = async (userId = alice.id, context?: Record<string, unknown>) => {
    const r = ok(await api.post('/api/subject-tokens', { userId, ...(context ? { context } : {}) }), 201);
    return r.body.subjectToken as string;
  };

  const exchange = (params: Record<string, string>, app: { id: string; secret: string } = support) =>
    tokenRequest(sigil, { grant_type: TOKEN_EXCHANGE, subject_token_type: ACCESS_TOKEN, resource: crm.indicator, ...params }, app);

  /** A client_credentials token for the robot (any resource it may reach). */
  const robotToken = async (indicator: string) => {
    const r = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator }, robot);
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    return r.body.access_token as string;
  };

  return { api, ok, crm, opaqueCrm, role, alice, makeUser, makeApp, support, plain, switchedOff, robot, subjectToken, exchange, robotToken };
}
