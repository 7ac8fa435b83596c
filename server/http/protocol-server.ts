// The self-hosted server's front: one node:http server on the public port. Protocol (/oidc, /.well-known) and
// Management API (/api/*) requests go straight to their functions; every other path is forwarded to the
// console process. Nothing here renders pages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { log } from '../log.ts';
import { handleExperienceApi, isExperienceApiPath } from '../experience-api/index.ts';
import { handleManagementApi, MAX_API_BODY_BYTES } from '../management-api/index.ts';
import { isManagementApiPath } from '../management-api/paths.ts';
import { handleOidc, isOidcPath } from '../oidc/router.ts';
import { clientIp } from './client-ip.ts';
import { MAX_BODY_BYTES, json, type Endpoint, type ProtocolResponse } from './envelope.ts';
import { send, toProtocolRequest } from './node-adapter.ts';

type Forward = (req: IncomingMessage, res: ServerResponse, clientIp: string | null) => void;

export function createProtocolServer(forward: Forward): Server {
  const serve = (req: IncomingMessage, res: ServerResponse, endpoint: Endpoint, limit: number) =>
    void toProtocolRequest(req, limit)
      .then(endpoint)
      .then((out) => send(res, out, req.method === 'HEAD'))
      .catch((error) => fail(res, error));

  const server = createServer((req, res) => {
    const target = req.url ?? '/';
    // Origin-form only: an absolute-form target (`GET http://elsewhere/...`) is for proxies, and answering it
    // could echo a foreign host into a redirect. We are no proxy.
    if (!target.startsWith('/')) return send(res, badRequest('the request target must be a path'));
    const path = target.split('?', 1)[0]!;
    if (isOidcPath(path)) serve(req, res, handleOidc, MAX_BODY_BYTES);
    else if (isExperienceApiPath(path)) serve(req, res, handleExperienceApi, MAX_BODY_BYTES);
    else if (isManagementApiPath(path)) serve(req, res, handleManagementApi, MAX_API_BODY_BYTES);
    else forward(req, res, clientIp((name) => headerOf(req, name), req.socket.remoteAddress));
  });
  // Requests Node's HTTP parser refuses (conflicting lengths, bad chunking) still get an OAuth-shaped 400.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: 'invalid_request', error_description: 'malformed HTTP request' });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function badRequest(description: string): ProtocolResponse {
  return json(400, { error: 'invalid_request', error_description: description }, { 'cache-control': 'no-store' });
}

function fail(res: ServerResponse, error: unknown): void {
  log.error({ err: error }, 'request failed');
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'server_error', error_description: 'an unexpected error occurred' }));
}
