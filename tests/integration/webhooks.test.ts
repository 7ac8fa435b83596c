// Webhooks end to end on the self-hosted server: Logto's API and payloads, signatures, the outbox and its
// retry policy, recent logs and stats, deliveries and redelivery, token events.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { verifySigilSignature } from '../../server/services/webhooks/signature.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

type Api = Awaited<ReturnType<typeof managementClient>>;

const hex = (key: string, raw: string) => createHmac('sha256', key).update(raw).digest('hex');

describe('webhooks (lean)', () => {
  let sigil: Sigil;
  let api: Api;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    sigil = await startSigil({
      env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_TIMEOUT_MS: '1000', SIGIL_WEBHOOK_BACKOFF_MS: '50' },
    });
    api = await managementClient(sigil);
  });
  afterAll(async () => {
    await sigil?.stop();
    await receiver?.close();
  });

  const createHook = async (events: string[], extra: Record<string, unknown> = {}) => {
    const res = await api.post('/api/hooks', { name: 'Receiver', events, config: { url: receiver.url, headers: { 'x-team': 'platform' } }, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; signingKey: string };
  };
  const forHook = (hookId: string) => receiver.received.filter((r) => r.body?.hookId === hookId);

  it("creates, reads, updates and deletes hooks in Logto's shape", async () => {
    const created = await api.post('/api/hooks', { name: 'Audit sink', events: ['Role.Created', 'Role.Created', 'User.Deleted'], config: { url: 'https://hooks.example.com/sigil', headers: { authorization: 'Bearer abc' }, retries: 3 } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['config', 'createdAt', 'enabled', 'event', 'events', 'id', 'name', 'signingKey']);
    expect(created.body).toMatchObject({
      name: 'Audit sink', event: null, events: ['Role.Created', 'User.Deleted'], enabled: true,
      config: { url: 'https://hooks.example.com/sigil', headers: { authorization: 'Bearer abc' } },
    });
    expect(created.body.signingKey).toMatch(/^[A-Za-z0-9]{32}$/);
    const id = created.body.id;

    const got = await api.get(`/api/hooks/${id}`);
    expect(got.body).toEqual(created.body);
    const withStats = await api.get(`/api/hooks/${id}?includeExecutionStats=true`);
    expect(withStats.body.executionStats).toEqual({ requestCount: 0, successCount: 0 });

    const patched = await api.patch(`/api/hooks/${id}`, { name: 'Renamed', enabled: false, config: { url: 'https://hooks.example.com/v2' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', enabled: false, config: { url: 'https://hooks.example.com/v2', headers: {} }, signingKey: created.body.signingKey });

    const rotated = await api.patch(`/api/hooks/${id}/signing-key`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(rotated.body.signingKey).not.toBe(created.body.signingKey);

    // The audit log has every change, with the signing key and header values masked.
    const logs = await api.get(`/api/logs?logKey=Hook.Created`);
    const entry = logs.body.find((l: any) => l.payload.entityId === id);
    expect(entry.payload).toMatchObject({ key: 'Hook.Created', result: 'Success', actor: { type: 'application' }, after: { config: { headers: { authorization: '******' } } } });
    expect(JSON.stringify(logs.body)).not.toContain(created.body.signingKey);
    expect(JSON.stringify(logs.body)).not.toContain('Bearer abc');

    expect((await api.del(`/api/hooks/${id}`)).status).toBe(204);
    expect((await api.get(`/api/hooks/${id}`)).status).toBe(404);
  });

  it('validates hooks with errors that name the field', async () => {
    const bad = async (body: unknown, field: string) => {
      const res = await api.post('/api/hooks', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'guard.invalid_input', field });
    };
    await bad({ name: 'x', events: ['Role.Exploded'], config: { url: 'https://a.example' } }, 'events.0');
    await bad({ name: 'x', events: [], config: { url: 'https://a.example' } }, 'events');
    // Neither `events` nor `event`: Logto's own code.
    expect(await api.post('/api/hooks', { name: 'x', config: { url: 'https://a.example' } })).toMatchObject({ status: 400, body: { code: 'hook.missing_events', field: 'events' } });
    await bad({ name: 'x', events: ['Role.Created'], config: { url: 'ftp://a.example' } }, 'config.url');
    await bad({ name: 'x', events: ['Role.Created'], config: { url: 'https://a.example', headers: { 'logto-signature-sha-256': 'forged' } } }, 'config.headers.logto-signature-sha-256');
    // A header that could never be sent is 422 naming it (more in webhooks-headers.test.ts).
    const broken = await api.post('/api/hooks', { name: 'x', events: ['Role.Created'], config: { url: 'https://a.example', headers: { 'x-a': 'line\r\nbreak' } } });
    expect(broken.status).toBe(422);
    expect(broken.body).toMatchObject({ code: 'hook.invalid_header', field: 'config.headers.x-a' });
    // Logto's deprecated single `event` is still accepted.
    const legacy = await api.post('/api/hooks', { name: 'legacy', event: 'Role.Created', config: { url: 'https://a.example' } });
    expect(legacy.status).toBe(201);
    expect(legacy.body).toMatchObject({ event: 'Role.Created', events: [] });
    await api.del(`/api/hooks/${legacy.body.id}`);
  });

  it('lists all hooks without `page` (as Logto), and paginates with it', async () => {
    const a = await createHook(['Scope.Created']);
    const b = await createHook(['Scope.Created']);
    const all = await api.get('/api/hooks');
    expect(all.status).toBe(200);
    expect(all.headers.get('total-number')).toBeNull();
    expect(all.body.map((h: any) => h.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const page = await api.get('/api/hooks?page=1&page_size=1');
    expect(page.body).toHaveLength(1);
    expect(Number(page.headers.get('total-number'))).toBe(all.body.length);
    expect(page.headers.get('link')).toContain('rel="next"');
    await api.del(`/api/hooks/${a.id}`);
    await api.del(`/api/hooks/${b.id}`);
  });

  it('delivers a data event with the Logto payload, both signatures, the event id and custom headers', async () => {
    const hook = await createHook(['Role.Created']);
    const role = await api.post('/api/roles', { name: `hooked-${Date.now()}`, description: 'from a test' });
    expect(role.status).toBe(200);
    await receiver.waitFor(() => forHook(hook.id).length >= 1);
    const [req] = forHook(hook.id);
    expect(req!.body).toEqual({
      hookId: hook.id, event: 'Role.Created', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), userAgent: 'node', ip: expect.any(String),
      // Relative to /api, as Logto's router mounted there reports them.
      path: '/roles', method: 'POST', status: 200, params: {}, matchedRoute: '/roles',
      data: role.body,
    });
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-team']).toBe('platform');
    expect(req!.headers['logto-signature-sha-256']).toBe(hex(hook.signingKey, req!.rawBody));
    expect(verifySigilSignature(hook.signingKey, req!.rawBody, String(req!.headers['sigil-signature']))).toMatchObject({ ok: true });
    expect(req!.headers['sigil-delivery-attempt']).toBe('1');

    const deliveries = await api.get(`/api/hooks/${hook.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.headers.get('total-number')).toBe('1');
    expect(deliveries.body[0]).toMatchObject({
      hookId: hook.id, event: 'Role.Created', status: 'Delivered', attempts: 1, lastStatus: 200, lastError: null,
      lastResponse: '{"ok":true}', nextAttemptAt: null, inFlight: false, eventId: req!.headers['sigil-event-id'],
    });
    const detail = await api.get(`/api/hooks/${hook.id}/deliveries/${deliveries.body[0].id}`);
    expect(detail.body.payload).toEqual(req!.body);

    // Logto's recent logs and execution stats come from `TriggerHook.<event>` entries.
    await waitUntil(async () => (await api.get(`/api/hooks/${hook.id}/recent-logs`)).body.length === 1);
    const recent = await api.get(`/api/hooks/${hook.id}/recent-logs`);
    expect(recent.headers.get('total-number')).toBe('1');
    expect(recent.body[0]).toMatchObject({
      key: 'TriggerHook.Role.Created',
      payload: { key: 'TriggerHook.Role.Created', result: 'Success', hookId: hook.id, hookRequest: { body: req!.body }, response: { statusCode: 200, body: { ok: true } }, attempt: 1 },
    });
    const stats = await api.get(`/api/hooks/${hook.id}?includeExecutionStats=true`);
    expect(stats.body.executionStats).toEqual({ requestCount: 1, successCount: 1 });
    const list = await api.get('/api/hooks?includeExecutionStats=1');
    expect(list.body.find((h: any) => h.id === hook.id).executionStats).toEqual({ requestCount: 1, successCount: 1 });
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('sends test payloads to the given config and returns the receiver answer', async () => {
    const hook = await createHook(['Role.Created']);
    receiver.setBehaviour(() => ({ status: 200, body: '{"received":true}' }));
    const ok = await api.post(`/api/hooks/${hook.id}/test`, { events: ['Role.Created', 'User.Created'], config: { url: `${receiver.url}?test=1` } });
    // Logto: 204 when every receiver answered 2xx (the results come only with a failure).
    expect(ok.status).toBe(204);
    expect(ok.body).toBeUndefined();
    const tests = receiver.received.filter((r) => r.path === '/hook?test=1');
    expect(tests).toHaveLength(2);
    for (const t of tests) {
      expect(t.body).toMatchObject({ hookId: hook.id, path: '/fake-path/:id', method: 'POST', status: 200, params: { id: 'fake-id' }, data: { result: 'success' } });
      expect(t.headers['logto-signature-sha-256']).toBe(hex(hook.signingKey, t.rawBody));
    }

    receiver.setBehaviour(() => ({ status: 503, body: 'down for maintenance' }));
    const failed = await api.post(`/api/hooks/${hook.id}/test`, { events: ['Role.Created'], config: { url: receiver.url } });
    expect(failed.status).toBe(422);
    expect(failed.body).toMatchObject({ code: 'hook.endpoint_responded_with_error', results: [{ result: 'Error', response: { statusCode: 503, body: 'down for maintenance' } }] });
    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}' }));

    const unreachable = await api.post(`/api/hooks/${hook.id}/test`, { events: ['Role.Created'], config: { url: 'http://127.0.0.1:1/nothing' } });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body).toMatchObject({ code: 'hook.send_test_payload_failed', message: expect.stringContaining('failed') });
    expect((await api.post('/api/hooks/nope/test', { events: ['Role.Created'], config: { url: receiver.url } })).status).toBe(404);
    // Tests are not deliveries: nothing queued, no execution stats.
    expect((await api.get(`/api/hooks/${hook.id}/deliveries`)).body).toEqual([]);
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('retries 5xx with backoff, honours Retry-After, and keeps the event id across attempts', async () => {
    const hook = await createHook(['Scope.Created']);
    const resource = await api.post('/api/resources', { name: 'Retry API', indicator: `https://retry.example/${Date.now()}` });
    let n = 0;
    receiver.setBehaviour((r) => {
      if (r.body?.hookId !== hook.id) return { status: 200 };
      n++;
      if (n === 1) return { status: 500, body: 'boom' };
      if (n === 2) return { status: 429, headers: { 'retry-after': '1' } };
      return { status: 204 };
    });
    await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'read:retry' });
    await receiver.waitFor(() => forHook(hook.id).length >= 3, 15_000);
    const attempts = forHook(hook.id);
    expect(attempts.map((a) => a.headers['sigil-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((a) => a.headers['sigil-event-id'])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.rawBody)).size).toBe(1);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1
    await waitUntil(async () => (await api.get(`/api/hooks/${hook.id}/deliveries`)).body[0]?.status === 'Delivered');
    const [d] = (await api.get(`/api/hooks/${hook.id}/deliveries`)).body;
    expect(d).toMatchObject({ status: 'Delivered', attempts: 3, lastStatus: 204 });
    await waitUntil(async () => (await api.get(`/api/hooks/${hook.id}?includeExecutionStats=true`)).body.executionStats.requestCount === 3);
    expect((await api.get(`/api/hooks/${hook.id}?includeExecutionStats=true`)).body.executionStats).toEqual({ requestCount: 3, successCount: 1 });
    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}' }));
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('dead-letters a 4xx at once, and redelivers on request with a fresh budget', async () => {
    const hook = await createHook(['Role.Deleted']);
    receiver.setBehaviour((r) => (r.body?.hookId === hook.id ? { status: 410, body: '{"error":"gone"}' } : { status: 200 }));
    const role = await api.post('/api/roles', { name: `doomed-${Date.now()}`, description: '' });
    await api.del(`/api/roles/${role.body.id}`);
    await waitUntil(async () => (await api.get(`/api/hooks/${hook.id}/deliveries?status=Dead`)).body.length === 1);
    const [dead] = (await api.get(`/api/hooks/${hook.id}/deliveries?status=Dead`)).body;
    expect(dead).toMatchObject({ status: 'Dead', attempts: 1, lastStatus: 410, lastResponse: '{"error":"gone"}', lastError: expect.stringContaining('answered 410') });
    expect(forHook(hook.id)).toHaveLength(1);
    // Deleted events carry the deleted entity.
    expect(forHook(hook.id)[0]!.body).toMatchObject({ event: 'Role.Deleted', method: 'DELETE', status: 204, params: { id: role.body.id }, data: { id: role.body.id, name: role.body.name } });

    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}' }));
    const again = await api.post(`/api/hooks/${hook.id}/deliveries/${dead.id}/redeliver`, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: dead.id, status: 'Pending', attempts: 0 });
    await receiver.waitFor(() => forHook(hook.id).length === 2);
    const [first, second] = forHook(hook.id);
    expect(second!.headers['sigil-event-id']).toBe(first!.headers['sigil-event-id']);
    expect(second!.rawBody).toBe(first!.rawBody);
    await waitUntil(async () => (await api.get(`/api/hooks/${hook.id}/deliveries/${dead.id}`)).body.status === 'Delivered');
    expect((await api.post(`/api/hooks/${hook.id}/deliveries/nope/redeliver`, {})).status).toBe(404);
    const audit = await api.get('/api/logs?logKey=Hook.Delivery.Redelivered');
    expect(audit.body[0].payload).toMatchObject({ entityId: hook.id, before: { deliveryId: dead.id, status: 'Dead' }, after: { status: 'Pending' } });
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('pauses deliveries of a disabled hook and resumes when it is enabled', async () => {
    const hook = await createHook(['Role.Data.Updated']);
    await api.patch(`/api/hooks/${hook.id}`, { enabled: false });
    const role = await api.post('/api/roles', { name: `paused-${Date.now()}`, description: '' });
    // Disabled when the change happens: no delivery at all (as Logto).
    await api.patch(`/api/roles/${role.body.id}`, { description: 'while disabled' });
    await api.patch(`/api/hooks/${hook.id}`, { enabled: true });
    await api.patch(`/api/roles/${role.body.id}`, { description: 'enabled again' });
    await receiver.waitFor(() => forHook(hook.id).length === 1);
    expect(forHook(hook.id)[0]!.body.data.description).toBe('enabled again');
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('emits token events through the audit group commit', async () => {
    const m2m = await setupM2M(sigil);
    const hook = await createHook(['Token.Issued', 'Token.IssuanceFailed', 'Token.Revoked']);
    const opaque = await api.post('/api/resources', { name: 'Opaque', indicator: `https://opaque.example/${Date.now()}`, tokenFormat: 'opaque' });
    expect(opaque.status).toBe(201);
    const issued = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
    expect(issued.status).toBe(200);
    const refused = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, { id: m2m.app.id, secret: 'wrong' });
    expect(refused.status).toBe(401);
    const revoke = await fetch(`${sigil.url}/oidc/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${m2m.app.id}:${m2m.app.secret}`).toString('base64')}` },
      body: new URLSearchParams({ token: issued.body.access_token }),
    });
    expect(revoke.status).toBe(200);
    await receiver.waitFor(() => forHook(hook.id).length === 3);
    const byEvent = Object.fromEntries(forHook(hook.id).map((r) => [r.body.event, r.body]));
    expect(byEvent['Token.Issued']).toMatchObject({ hookId: hook.id, userAgent: 'node', data: { result: 'Success', applicationId: m2m.app.id, resource: m2m.indicator, scope: 'read:products', auditKey: 'ExchangeTokenBy.ClientCredentials' } });
    expect(byEvent['Token.IssuanceFailed']).toMatchObject({ data: { result: 'Error', error: { code: 'invalid_client' } } });
    expect(byEvent['Token.Revoked']).toMatchObject({ data: { result: 'Success', applicationId: m2m.app.id, tokenId: expect.any(String) } });
    // The access token itself is never in a payload.
    expect(JSON.stringify(forHook(hook.id).map((r) => r.body))).not.toContain(issued.body.access_token);
    await api.del(`/api/hooks/${hook.id}`);
  });

  it('delivers every event through a flaky receiver; signatures verify and duplicates share the event id', async () => {
    const m2m = await setupM2M(sigil, { scopes: ['a'], grant: ['a'] });
    const hook = await createHook(['Token.Issued', 'Scope.Created']);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    receiver.setBehaviour((r) => {
      if (r.body?.hookId !== hook.id) return { status: 200 };
      const x = random();
      if (x < 0.3) return { status: 500, body: 'flaky' };
      if (x < 0.38) return { status: 200, delayMs: 1500 }; // past the 1 s timeout: Sigil retries, we saw it twice
      return { status: 200, body: '{"ok":true}' };
    });
    const started = Date.now();
    const TOKENS = 300;
    const SCOPES = 60;
    for (let i = 0; i < TOKENS; i += 20) {
      await Promise.all(Array.from({ length: 20 }, () => tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app).then((r) => expect(r.status).toBe(200))));
    }
    for (let i = 0; i < SCOPES; i++) expect((await api.post(`/api/resources/${m2m.resource.id}/scopes`, { name: `flaky:${i}` })).status).toBe(201);
    const ok = () => new Set(forHook(hook.id).filter((r) => r.answered === 200).map((r) => r.headers['sigil-event-id'])).size;
    await receiver.waitFor(() => ok() === TOKENS + SCOPES, 90_000);
    const elapsed = Date.now() - started;

    const all = forHook(hook.id);
    for (const r of all) {
      expect(r.headers['logto-signature-sha-256']).toBe(hex(hook.signingKey, r.rawBody));
      expect(verifySigilSignature(hook.signingKey, r.rawBody, String(r.headers['sigil-signature']))).toMatchObject({ ok: true });
    }
    const byEvent = new Map<string, typeof all>();
    for (const r of all) byEvent.set(String(r.headers['sigil-event-id']), [...(byEvent.get(String(r.headers['sigil-event-id'])) ?? []), r]);
    expect(byEvent.size).toBe(TOKENS + SCOPES);
    for (const copies of byEvent.values()) expect(new Set(copies.map((c) => c.rawBody)).size).toBe(1);
    const duplicates = [...byEvent.values()].filter((c) => c.filter((x) => x.answered === 200 || x.answered === undefined).length > 1).length;
    const events = [...byEvent.values()].map((c) => c[0]!.body.event);
    expect(events.filter((e) => e === 'Token.Issued')).toHaveLength(TOKENS);
    expect(events.filter((e) => e === 'Scope.Created')).toHaveLength(SCOPES);
    console.log(`[flaky] ${TOKENS + SCOPES} events, ${all.length} requests, ${duplicates} delivered more than once, all acknowledged in ${elapsed} ms`);
    await waitUntil(async () => Number((await api.get(`/api/hooks/${hook.id}/deliveries?status=Delivered&page_size=1`)).headers.get('total-number')) === TOKENS + SCOPES, 30_000);
    await api.del(`/api/hooks/${hook.id}`);
  }, 150_000);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
