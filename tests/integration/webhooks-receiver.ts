// A webhook receiver on loopback for the tests: records every request (raw body and headers) and answers
// as the test's behaviour says (status, delay, or hang past Sigil's timeout).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { at: number; path: string; headers: IncomingHttpHeaders; rawBody: string; body: any; answered?: number };
export type Answer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };
export type Behaviour = (req: Received, index: number) => Answer;

export type Receiver = {
  url: string;
  port: number;
  received: Received[];
  setBehaviour: (b: Behaviour) => void;
  /** Resolves when `predicate` holds over the received requests (polling), or rejects after `timeoutMs`. */
  waitFor: (predicate: (received: Received[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
};

export async function startReceiver(behaviour: Behaviour = () => ({ status: 200, body: '{"ok":true}' })): Promise<Receiver> {
  let current = behaviour;
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const entry: Received = { at: Date.now(), path: req.url ?? '/', headers: req.headers, rawBody, body };
      received.push(entry);
      const answer = current(entry, received.length - 1);
      const reply = () => {
        if (res.destroyed || req.socket.destroyed) return;
        // `answered` only once the whole response left: a sender that died first never saw it.
        res.once('finish', () => {
          entry.answered = answer.status;
        });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    setBehaviour: (b) => {
      current = b;
    },
    waitFor: async (predicate, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} requests received)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
