// Nothing is lost across kill -9: 1,000 events are pending or in flight when the server is killed; after a
// restart every one arrives at least once (in-flight ones again when their lease expires). Also measures
// delivery throughput of one process draining a backlog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const EVENTS = 1000;

describe('webhook delivery across kill -9', () => {
  let sigil: Sigil;
  let receiver: Receiver;
  let m2m: Awaited<ReturnType<typeof setupM2M>>;
  let hookId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    // The dispatcher starts off so that a backlog can be built before delivery begins.
    sigil = await startSigil({ env: { SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_TIMEOUT_MS: '2000', SIGIL_WEBHOOK_DISPATCHER: 'false' } });
    m2m = await setupM2M(sigil);
    const hook = await m2m.api.post('/api/hooks', { name: 'crash', events: ['Token.Issued'], config: { url: receiver.url } });
    expect(hook.status).toBe(201);
    hookId = hook.body.id;
  });
  afterAll(async () => {
    await sigil?.stop();
    await receiver?.close();
  });

  const issue = async (n: number) => {
    for (let i = 0; i < n; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app)));
      for (const r of batch) expect(r.status).toBe(200);
    }
  };
  const acked = () => new Set(receiver.received.filter((r) => r.body?.hookId === hookId && r.answered === 200).map((r) => String(r.headers['sigil-event-id'])));
  const setDispatcher = async (on: boolean) => {
    sigil.env.SIGIL_WEBHOOK_DISPATCHER = on ? 'true' : 'false';
    await sigil.restart();
  };
  // With the token from before the restarts: a new token would itself be a Token.Issued event.
  const deliveredCount = async () => {
    const res = await m2m.api.get(`/api/hooks/${hookId}/deliveries?status=Delivered&page_size=1`);
    return Number(res.headers.get('total-number'));
  };

  it(`drains a backlog of ${EVENTS} events (throughput)`, async () => {
    await issue(EVENTS);
    expect(receiver.received).toHaveLength(0);
    await setDispatcher(true);
    const started = Date.now();
    await receiver.waitFor(() => acked().size === EVENTS, 60_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(`[throughput] ${EVENTS} deliveries in ${seconds.toFixed(2)} s = ${Math.round(EVENTS / seconds)}/s (one process, concurrency 16, receiver answers at once)`);
    expect(await deliveredCount()).toBe(EVENTS);
  }, 120_000);

  it(`delivers all ${EVENTS} events at least once when killed mid-delivery`, async () => {
    await setDispatcher(false);
    receiver.received.length = 0;
    await issue(EVENTS);
    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}', delayMs: 100 }));
    await setDispatcher(true);
    await receiver.waitFor(() => acked().size >= 250, 60_000);
    await sigil.kill();
    const before = acked().size;
    const inFlight = receiver.received.filter((r) => r.body?.hookId === hookId && r.answered === undefined).length;
    expect(before).toBeLessThan(EVENTS);

    const restarted = Date.now();
    await sigil.restart();
    // Rows that were in flight come back when their lease (timeout + 5 s) expires.
    const deadline = Date.now() + 90_000;
    while ((await deliveredCount()) < 2 * EVENTS) {
      if (Date.now() > deadline) throw new Error(`only ${await deliveredCount()} of ${2 * EVENTS} delivered`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - restarted) / 1000;
    const requests = receiver.received.filter((r) => r.body?.hookId === hookId);
    const copies = new Map<string, number>();
    for (const r of requests) copies.set(String(r.headers['sigil-event-id']), (copies.get(String(r.headers['sigil-event-id'])) ?? 0) + 1);
    expect(copies.size).toBe(EVENTS);
    expect(acked().size).toBe(EVENTS);
    const twice = [...copies.values()].filter((c) => c > 1).length;
    // Only rows leased at the kill can repeat: every request in flight (the receiver never answered), plus
    // any whose answer was sent but not yet recorded; never more than the dispatcher's concurrency (16).
    expect(twice).toBeGreaterThanOrEqual(inFlight);
    expect(twice).toBeLessThanOrEqual(16);
    console.log(`[kill -9] acknowledged before kill: ${before}, in flight at kill: ${inFlight}; after restart all ${EVENTS} delivered in ${seconds.toFixed(1)} s; ${twice} events received twice`);
  }, 180_000);
});
