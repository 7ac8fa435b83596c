// The serverless path (`next start`, what Vercel runs): no background dispatcher. A request that wrote
// outbox rows delivers them after its response with `after()`; retries wait for the cron route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const CRON_SECRET = 'cron-secret-for-tests-0123456789';

describe('webhooks on next start (Vercel path)', () => {
  let sigil: Sigil;
  let api: Awaited<ReturnType<typeof managementClient>>;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    sigil = await startSigil({ mode: 'next', env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', CRON_SECRET, SIGIL_WEBHOOK_BACKOFF_MS: '1000' } });
    api = await managementClient(sigil);
  });
  afterAll(async () => {
    await sigil?.stop();
    await receiver?.close();
  });

  const cron = () => fetch(`${sigil.url}/api/cron/webhooks`, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
  const deliveries = async (hookId: string) => (await api.get(`/api/hooks/${hookId}/deliveries`)).body as Array<{ status: string; attempts: number }>;

  it('delivers after the response of the request that made the change', async () => {
    const hook = await api.post('/api/hooks', { name: 'next', events: ['Role.Created'], config: { url: receiver.url } });
    expect(hook.status).toBe(201);
    const role = await api.post('/api/roles', { name: `next-${Date.now()}`, description: '' });
    expect(role.status).toBe(200);
    await receiver.waitFor((r) => r.some((x) => x.body?.hookId === hook.body.id), 10_000);
    expect(receiver.received.find((x) => x.body?.hookId === hook.body.id)!.body).toMatchObject({ event: 'Role.Created', path: '/roles', data: { id: role.body.id } });
    await api.del(`/api/hooks/${hook.body.id}`);
  });

  it('delivers token events after the token response', async () => {
    const m2m = await setupM2M(sigil);
    const hook = await api.post('/api/hooks', { name: 'tokens', events: ['Token.Issued'], config: { url: receiver.url } });
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app);
    expect(token.status).toBe(200);
    await receiver.waitFor((r) => r.some((x) => x.body?.hookId === hook.body.id), 10_000);
    await api.del(`/api/hooks/${hook.body.id}`);
  });

  it('leaves retries to the cron route', async () => {
    const hook = await api.post('/api/hooks', { name: 'retry', events: ['Scope.Created'], config: { url: receiver.url } });
    let calls = 0;
    receiver.setBehaviour((r) => (r.body?.hookId === hook.body.id && ++calls === 1 ? { status: 503 } : { status: 200, body: '{"ok":true}' }));
    const resource = await api.post('/api/resources', { name: 'Cron API', indicator: `https://cron.example/${Date.now()}` });
    await api.post(`/api/resources/${resource.body.id}/scopes`, { name: 'read:cron' });
    await receiver.waitFor(() => calls === 1, 10_000);
    // Nothing else runs in this process: the retry (due ~1 s later) waits for the cron.
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toBe(1);
    expect(await deliveries(hook.body.id)).toMatchObject([{ status: 'Pending', attempts: 1 }]);

    const res = await cron();
    expect(res.status).toBe(200);
    expect((await res.json()).webhooks).toMatchObject({ claimed: 1, delivered: 1 });
    expect(calls).toBe(2);
    expect(await deliveries(hook.body.id)).toMatchObject([{ status: 'Delivered', attempts: 2 }]);
    expect((await fetch(`${sigil.url}/api/cron/webhooks`)).status).toBe(401);
  });
});
