// Webhook custom headers that could never be sent (Node's http writes RFC 7230 token names and Latin-1
// values without control characters) are refused on create, update and test with 422 naming the header;
// a saved hook that still has one (stored before this check) gets its deliveries dead-lettered at the first
// attempt with the reason, instead of crashing the attempt and retrying it forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_TIMEOUT_MS: '1000', SIGIL_WEBHOOK_BACKOFF_MS: '50' } });
  api = await managementClient(sigil);
});
afterAll(async () => {
  await sigil?.stop();
  await receiver?.close();
});

const BAD: Array<[string, string, string]> = [
  ['x-emoji', 'ok ✓', 'printable Latin-1'],
  ['x-cjk', '東京', 'printable Latin-1'],
  ['x-bell', 'a\u0007b', 'printable Latin-1'],
  ['x-tab', 'a\tb', 'printable Latin-1'],
  ['x-c1', 'a\u0085b', 'printable Latin-1'],
  ['x-crlf', 'a\r\nx-injected: 1', 'printable Latin-1'],
  ['bad name', 'v', 'valid HTTP header name'],
  ['x-ü', 'v', 'valid HTTP header name'],
];

describe('webhook custom headers', () => {
  it('refuses headers that cannot be sent on create, update and test: 422 naming the header; nothing saved', async () => {
    const hook = await api.post('/api/hooks', { name: 'ok', events: ['Role.Created'], config: { url: receiver.url, headers: { 'x-latin1': 'café' } } });
    expect(hook.status).toBe(201);
    for (const [name, value, why] of BAD) {
      const config = { url: receiver.url, headers: { 'x-fine': 'yes', [name]: value } };
      const expected = { code: 'hook.invalid_header', field: `config.headers.${name}` };
      const created = await api.post('/api/hooks', { name: 'bad', events: ['Role.Created'], config });
      expect(created.status, `${name}: ${JSON.stringify(created.body)}`).toBe(422);
      expect(created.body).toMatchObject(expected);
      expect(created.body.message).toContain(JSON.stringify(name));
      expect(created.body.message).toContain(why);
      const patched = await api.patch(`/api/hooks/${hook.body.id}`, { config });
      expect(patched.status, name).toBe(422);
      expect(patched.body).toMatchObject(expected);
      const tested = await api.post(`/api/hooks/${hook.body.id}/test`, { events: ['Role.Created'], config });
      expect(tested.status, name).toBe(422);
      expect(tested.body).toMatchObject(expected);
    }
    expect((await api.get('/api/hooks')).body.map((h: { name: string }) => h.name)).toEqual(['ok']);
    expect((await api.get(`/api/hooks/${hook.body.id}`)).body.config.headers).toEqual({ 'x-latin1': 'café' });
    await api.del(`/api/hooks/${hook.body.id}`);
  });

  it('dead-letters at once, with the reason, a delivery whose saved header cannot be sent', async () => {
    const hook = await api.post('/api/hooks', { name: 'legacy', events: ['Role.Created'], config: { url: receiver.url, headers: { 'x-team': 'platform' } } });
    // As a hook saved before headers were checked would be.
    const db = openDb(sigil.databaseUrl);
    try {
      await db.hook.update({ where: { id: hook.body.id }, data: { headers: { 'x-team': 'plat✓form' } } });
    } finally {
      await db.$disconnect();
    }
    // Another instance's edit: this one sees it within the cache bound.
    await new Promise((r) => setTimeout(r, 1200));
    expect((await api.post('/api/roles', { name: `legacy-${Date.now()}`, description: '' })).status).toBe(200);
    let deliveries: Array<{ status: string; attempts: number; lastError: string | null }> = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      deliveries = (await api.get(`/api/hooks/${hook.body.id}/deliveries`)).body;
      if (deliveries.some((d) => d.status !== 'Pending')) break;
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'Dead', attempts: 1 });
    expect(deliveries[0]!.lastError).toContain('Custom header "x-team" must hold printable Latin-1 characters only');
    expect(receiver.received.filter((r) => r.body?.hookId === hook.body.id)).toEqual([]);
    expect(sigil.logs()).not.toMatch(/ERR_INVALID_CHAR|TypeError/);
  });
});
