// The self-hosted server forwards console requests to Next's process over kept-alive sockets. When the
// child closes an idle socket just as the agent hands it out, the request fails with ECONNRESET before any
// answer: a bodiless request is sent again on a fresh socket instead of answering 503.
import { createServer as createHttpServer, Agent, request, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxy } from '../../server/http/console-process.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A child stand-in: answers the first request on each socket, resets the socket on its second request. */
async function resettingChild(): Promise<{ port: number; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections++;
    sockets.add(socket);
    let served = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        const end = buffered.indexOf('\r\n\r\n') + 4;
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end);
        requests.push(head.split('\r\n')[0]!);
        if (served++ === 1) return void socket.resetAndDestroy();
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests };
}

async function front(port: number): Promise<string> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const server: Server = createHttpServer((req, res) => proxy(req, res, { port, agent, headers: ['host', '127.0.0.1'] }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => {
    agent.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function send(url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: body ? { 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('console proxy', () => {
  it('sends a GET again on a fresh socket when its kept-alive socket is reset before any answer', async () => {
    const child = await resettingChild();
    const url = await front(child.port);
    expect(await send(`${url}/console/a`, 'GET')).toEqual({ status: 200, body: 'ok' });
    expect(await send(`${url}/console/b`, 'GET')).toEqual({ status: 200, body: 'ok' });
    expect(child.requests).toEqual(['GET /console/a HTTP/1.1', 'GET /console/b HTTP/1.1', 'GET /console/b HTTP/1.1']);
    expect(child.connections()).toBe(2);
  });

  it('does not send a request with a body twice: it answers 503 with a JSON error', async () => {
    const child = await resettingChild();
    const url = await front(child.port);
    expect((await send(`${url}/console/a`, 'GET')).status).toBe(200);
    const answer = await send(`${url}/console/b`, 'POST', 'name=x');
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ code: 'console.unavailable', message: 'The console is starting; try again in a moment.' });
    expect(child.requests).toEqual(['GET /console/a HTTP/1.1', 'POST /console/b HTTP/1.1']);
  });
});
