// The self-hosted server: migrations, bootstrap, then one Node HTTP server. Protocol (/oidc, /.well-known)
// and Management API (/api/*) requests go straight to their functions; every other path goes to Next.js
// (console, tRPC, sign-in). On Vercel the same functions run inside Next route handlers instead.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { ConfigError, env } from './env.ts';
import { migrateDeploy } from './db/migrate.ts';
import { tuneConnection } from './db/index.ts';
import { enableSqliteInlineWriter } from './db/bulk-insert.ts';
import { bootstrap } from './services/bootstrap.ts';
import { markReady } from './ready.ts';
import { handleOidc, isOidcPath } from './oidc/router.ts';
import { handleManagementApi, MAX_API_BODY_BYTES } from './management-api/index.ts';
import { isManagementApiPath } from './management-api/paths.ts';
import { MAX_BODY_BYTES } from './http/envelope.ts';
import { send, toProtocolRequest } from './http/node-adapter.ts';
import { startBackgroundWork } from './services/background.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = env();
  const t0 = Date.now();
  const { applied } = await migrateDeploy(config.databaseUrl);
  if (applied.length) console.log(`[sigil] applied migrations: ${applied.join(', ')}`);
  await tuneConnection();
  enableSqliteInlineWriter();
  await bootstrap();
  markReady();

  const app = next({ dev, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (isOidcPath(path)) {
      void toProtocolRequest(req, MAX_BODY_BYTES)
        .then(handleOidc)
        .then((out) => send(res, out, req.method === 'HEAD'))
        .catch((error) => fail(res, error));
    } else if (isManagementApiPath(path)) {
      void toProtocolRequest(req, MAX_API_BODY_BYTES)
        .then(handleManagementApi)
        .then((out) => send(res, out, req.method === 'HEAD'))
        .catch((error) => fail(res, error));
    } else {
      // Next.js only sets X-Forwarded-For when absent: without a trusted proxy in front, overwrite it with the
      // socket address so a client cannot choose the IP that sign-in throttling and audit records see.
      if (process.env.SIGIL_TRUST_PROXY !== 'true') req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
      void nextHandler(req, res).catch((error) => fail(res, error));
    }
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
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const stopBackground = startBackgroundWork();
  console.log(`[sigil] listening on ${config.publicUrl} (port ${config.port}, ${Date.now() - t0} ms)`);

  const shutdown = () => {
    stopBackground();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

function fail(res: import('node:http').ServerResponse, error: unknown): void {
  console.error('[sigil] request failed', error);
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'server_error', error_description: 'an unexpected error occurred' }));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(`[sigil] ${error.message}`);
    process.exit(78);
  }
  console.error('[sigil] failed to start', error);
  process.exit(1);
});
