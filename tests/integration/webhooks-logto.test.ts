// Webhooks as Logto's own integration tests use them: every Logto event name subscribes, the deprecated
// single `event` and `config.retries` are kept and echoed, URLs are stored as given, Logto's error codes
// (`hook.missing_events`, `entity.not_exists` on updates), `POST /hooks/:id/test` answers 204, and data
// payloads carry `path`/`matchedRoute` relative to `/api`. Also `GET /api/connectors` (always empty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

type Api = Awaited<ReturnType<typeof managementClient>>;

/** Logto's `hookEvents` at the commit logto-it runs (packages/schemas/src/foundations/jsonb-types/hooks.ts). */
const LOGTO_EVENTS = [
  'PostRegister', 'PostSignIn', 'PostSignInAdaptiveMfaTriggered', 'PostResetPassword',
  'User.Created', 'User.Deleted', 'User.Data.Updated', 'User.SuspensionStatus.Updated', 'TrustedDevice.Created', 'TrustedDevice.Deleted',
  'Role.Created', 'Role.Deleted', 'Role.Data.Updated', 'Role.Scopes.Updated', 'Scope.Created', 'Scope.Deleted', 'Scope.Data.Updated',
  'Organization.Created', 'Organization.Deleted', 'Organization.Data.Updated', 'Organization.Membership.Updated',
  'OrganizationRole.Created', 'OrganizationRole.Deleted', 'OrganizationRole.Data.Updated', 'OrganizationRole.Scopes.Updated',
  'OrganizationScope.Created', 'OrganizationScope.Deleted', 'OrganizationScope.Data.Updated',
  'Identifier.Lockout', 'Message.RateLimited', 'Grant.LimitExceeded',
];

describe('webhooks: Logto compatibility', () => {
  let sigil: Sigil;
  let api: Api;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_TIMEOUT_MS: '1000' } });
    api = await managementClient(sigil);
  });
  afterAll(async () => {
    await sigil?.stop();
    await receiver?.close();
  });

  it('a hook may subscribe to every Logto event name', async () => {
    const res = await api.post('/api/hooks', { name: 'all', events: LOGTO_EVENTS, config: { url: receiver.url } });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual(LOGTO_EVENTS);
    expect((await api.del(`/api/hooks/${res.body.id}`)).status).toBe(204);
  });

  it('the deprecated `event` and `config.retries` are stored and echoed; `event` alone subscribes', async () => {
    const created = await api.post('/api/hooks', { event: 'Role.Created', config: { url: receiver.url, retries: 2 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '', event: 'Role.Created', events: [], config: { url: receiver.url, headers: {}, retries: 2 } });
    expect((await api.get(`/api/hooks/${created.body.id}`)).body).toEqual(created.body);

    const role = await api.post('/api/roles', { name: 'via-event', description: 'd', type: 'User' });
    await receiver.waitFor((r) => r.some((x) => x.body?.hookId === created.body.id && x.body?.data?.id === role.body.id));

    const patched = await api.patch(`/api/hooks/${created.body.id}`, { event: 'Role.Deleted' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...created.body, event: 'Role.Deleted' });
    const cleared = await api.patch(`/api/hooks/${created.body.id}`, { event: null, config: { url: receiver.url } });
    expect(cleared.body).toMatchObject({ event: null, events: [], config: { url: receiver.url, headers: {} } });
    expect(cleared.body.config).not.toHaveProperty('retries');
    await api.del(`/api/hooks/${created.body.id}`);
  });

  it('neither `events` nor `event`: 400 hook.missing_events; an empty list or unknown name: guard.invalid_input', async () => {
    const missing = await api.post('/api/hooks', { name: 'n', config: { url: receiver.url } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ code: 'hook.missing_events', message: 'events: at least one event is required (or the deprecated `event`).', field: 'events' });
    expect(await api.post('/api/hooks', { name: 'n', events: [], config: { url: receiver.url } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'events' } });
    expect(await api.post('/api/hooks', { name: 'n', events: ['Nope.Created'], config: { url: receiver.url } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input' } });
    expect(await api.post('/api/hooks', { name: '', events: ['PostRegister'], config: { url: receiver.url } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'name' } });
    expect((await api.get('/api/hooks')).body).toEqual([]);
  });

  it('a URL is stored as given (deliveries to it fail); control characters are refused', async () => {
    const created = await api.post('/api/hooks', { name: 'n', events: ['PostRegister'], config: { url: 'not_work_url' } });
    expect(created).toMatchObject({ status: 201, body: { config: { url: 'not_work_url' } } });
    const test = await api.post(`/api/hooks/${created.body.id}/test`, { events: ['PostSignIn'], config: { url: 'not_work_url' } });
    expect(test.status).toBe(422);
    expect(test.body.code).toBe('hook.send_test_payload_failed');
    expect(await api.post('/api/hooks', { name: 'n', events: ['PostRegister'], config: { url: 'http://a\nb' } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'config.url' } });
    await api.del(`/api/hooks/${created.body.id}`);
  });

  it("unknown ids: reads and tests answer entity.not_exists_with_id, updates entity.not_exists (Logto's codes)", async () => {
    expect(await api.get('/api/hooks/invalid_id')).toMatchObject({ status: 404, body: { code: 'entity.not_exists_with_id' } });
    expect(await api.patch('/api/hooks/invalid_id', { name: 'x' })).toMatchObject({ status: 404, body: { code: 'entity.not_exists' } });
    expect(await api.patch('/api/hooks/invalid_id/signing-key', {})).toMatchObject({ status: 404, body: { code: 'entity.not_exists' } });
    const test = await api.post('/api/hooks/invalid_id/test', { events: ['PostSignIn'], config: { url: receiver.url } });
    expect(test).toMatchObject({ status: 404, body: { code: 'entity.not_exists_with_id' } });
  });

  it('data payloads carry path and matchedRoute without the /api prefix', async () => {
    const hook = await api.post('/api/hooks', { name: 'roles', events: ['Role.Data.Updated'], config: { url: receiver.url } });
    const role = await api.post('/api/roles', { name: 'route-facts', description: 'd', type: 'User' });
    const patched = await api.patch(`/api/roles/${role.body.id}`, { description: 'changed' });
    expect(patched.status).toBe(200);
    await receiver.waitFor((r) => r.some((x) => x.body?.hookId === hook.body.id));
    const got = receiver.received.find((x) => x.body?.hookId === hook.body.id)!;
    expect(got.body).toMatchObject({
      event: 'Role.Data.Updated', path: `/roles/${role.body.id}`, matchedRoute: '/roles/:id', method: 'PATCH', status: 200, params: { id: role.body.id },
    });
    await api.del(`/api/hooks/${hook.body.id}`);
  });

  it("event data exactly Logto's: Role.Created is the response, initial scopes come as Role.Scopes.Updated, User.Deleted carries the user info fields", async () => {
    const hook = await api.post('/api/hooks', { name: 'exact', events: ['Role.Created', 'Role.Scopes.Updated', 'User.Deleted'], config: { url: receiver.url } });
    const resource = await api.post('/api/resources', { name: 'exact-data', indicator: 'https://exact-data.example/api' });
    const scope = await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'read:exact' });
    const role = await api.post('/api/roles', { name: 'exact-data', description: 'd', scopeIds: [scope.body.id] });
    const user = await api.post('/api/users', { username: 'exact_data', password: 'a-long-enough-password-1' });
    expect((await api.del(`/api/users/${user.body.id}`)).status).toBe(204);
    const mine = () => receiver.received.filter((x) => x.body?.hookId === hook.body.id).map((x) => x.body);
    await receiver.waitFor(() => mine().length >= 3);
    const byEvent = (event: string) => mine().find((b) => b.event === event);
    expect(byEvent('Role.Created')).toMatchObject({ path: '/roles', data: role.body });
    expect(byEvent('Role.Created').data).toEqual(role.body);
    expect(byEvent('Role.Scopes.Updated')).toMatchObject({ path: '/roles', roleId: role.body.id, data: [scope.body] });
    const { hasPassword, ...userInfo } = user.body;
    expect(hasPassword).toBe(true);
    expect(byEvent('User.Deleted').data).toEqual(userInfo);
    await api.del(`/api/hooks/${hook.body.id}`);
  });

  it('GET /api/connectors answers 200 [] and POST 422 (Sigil has no connectors)', async () => {
    expect(await api.get('/api/connectors')).toMatchObject({ status: 200, body: [] });
    expect(await api.get('/api/connectors?target=google')).toMatchObject({ status: 200, body: [] });
    // Creating one: Logto's answer for a connector id without a factory, which is every id here.
    expect(await api.post('/api/connectors', { connectorId: 'mock-email-service', config: { apiKey: 'k' } })).toMatchObject({
      status: 422, body: { code: 'connector.not_found_with_connector_id', field: 'connectorId' },
    });
    expect(await api.post('/api/connectors', {})).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'connectorId' } });
    expect(await api.get('/api/connectors')).toMatchObject({ status: 200, body: [] });
  });

  it('fuzz: hook bodies with arbitrary event lists and URLs never 500 and never half-write', async () => {
    const before = (await api.get('/api/hooks')).body.length;
    const pick = <T,>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const values: unknown[] = [null, 1, '', ' ', 'x'.repeat(3000), 'Role.Created', 'PostSignIn', 'role.created', ['Role.Created'], [], {}, 'http://\u0000', 'https://ok.example', true];
    let created = 0;
    for (let i = 0; i < 60; i++) {
      const body: Record<string, unknown> = {};
      if (Math.random() < 0.8) body.events = Math.random() < 0.5 ? pick(values) : [pick(values), pick(values)];
      if (Math.random() < 0.4) body.event = pick(values);
      if (Math.random() < 0.9) body.config = Math.random() < 0.7 ? { url: pick(values), retries: pick([0, 3, 4, -1, 'x', 1.5]) } : pick(values);
      if (Math.random() < 0.5) body.name = pick(values);
      const res = await api.post('/api/hooks', body);
      expect([201, 400], JSON.stringify(body)).toContain(res.status);
      if (res.status === 201) created += 1;
      else expect(typeof res.body.code).toBe('string');
    }
    expect((await api.get('/api/hooks')).body.length).toBe(before + created);
  });
});
