// Outbound requests are SSRF-safe: with SIGIL_ALLOW_PRIVATE_OUTBOUND off (the default), webhooks never
// reach loopback, private, link-local or metadata addresses, whether given as literals (refused at
// creation) or as names that resolve there (refused at delivery, after DNS, and dead-lettered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

describe('webhooks refuse private destinations', () => {
  let sigil: Sigil;
  let api: Awaited<ReturnType<typeof managementClient>>;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    sigil = await startSigil();
    api = await managementClient(sigil);
  });
  afterAll(async () => {
    await sigil?.stop();
    await receiver?.close();
  });

  it('refuses literal private addresses when a hook is created or changed, naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      [receiver.url, /loopback address 127\.0\.0\.1/],
      [`http://[::1]:${receiver.port}/hook`, /loopback address ::1/],
      ['http://169.254.169.254/latest/meta-data/', /metadata address 169\.254\.169\.254/],
      ['http://10.1.2.3/hook', /private address 10\.1\.2\.3/],
      ['http://[::ffff:127.0.0.1]/hook', /address ::ffff:7f00:1|127\.0\.0\.1/],
    ];
    for (const [url, message] of cases) {
      const res = await api.post('/api/hooks', { name: 'x', events: ['Role.Created'], config: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({ code: 'guard.invalid_input', field: 'config.url' });
      expect(res.body.message).toMatch(message);
      expect(res.body.message).toContain('SIGIL_ALLOW_PRIVATE_OUTBOUND');
    }
    const ok = await api.post('/api/hooks', { name: 'public', events: ['Role.Created'], config: { url: 'https://hooks.example.com/x' } });
    expect(ok.status).toBe(201);
    const patched = await api.patch(`/api/hooks/${ok.body.id}`, { config: { url: 'http://192.168.1.1/' } });
    expect(patched.status).toBe(400);
    expect(patched.body.field).toBe('config.url');
    await api.del(`/api/hooks/${ok.body.id}`);
  });

  it('dead-letters a delivery to a name that resolves to loopback, with a clear error, sending nothing', async () => {
    const hook = await api.post('/api/hooks', { name: 'sneaky', events: ['Role.Created'], config: { url: `http://localhost:${receiver.port}/hook` } });
    expect(hook.status).toBe(201);
    await api.post('/api/roles', { name: `ssrf-${Date.now()}`, description: '' });
    let deliveries: any[] = [];
    for (let i = 0; i < 200 && deliveries[0]?.status !== 'Dead'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      deliveries = (await api.get(`/api/hooks/${hook.body.id}/deliveries`)).body;
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'Dead', attempts: 1, lastStatus: null, lastResponse: null });
    expect(deliveries[0].lastError).toMatch(/^localhost resolves to loopback address (127\.0\.0\.1|::1); requests to it are not allowed\. .*SIGIL_ALLOW_PRIVATE_OUTBOUND=true/);
    expect(receiver.received).toHaveLength(0);

    const recent = (await api.get(`/api/hooks/${hook.body.id}/recent-logs`)).body;
    expect(recent[0]).toMatchObject({ key: 'TriggerHook.Role.Created', payload: { result: 'Error', error: deliveries[0].lastError } });
    expect(recent[0].payload.response).toBeUndefined();

    const test = await api.post(`/api/hooks/${hook.body.id}/test`, { events: ['Role.Created'], config: { url: `http://localhost:${receiver.port}/hook` } });
    expect(test.status).toBe(422);
    expect(test.body).toMatchObject({ code: 'hook.send_test_payload_failed', message: expect.stringMatching(/loopback address/) });
    expect(receiver.received).toHaveLength(0);
  });
});
