// The self-hosted server (`npm start`): the protocol process. It migrates and boots, serves /oidc,
// /.well-known and /api/* itself (server/http/protocol-server.ts), and starts the console (Next.js) as a
// child process that it supervises and forwards every other path to. Each process has one module graph;
// they share state only through the database, like any two instances (plus IPC nudges: "clear your cache",
// "outbox rows are waiting"). On Vercel, Next route handlers call
// the same protocol functions instead (server/next/ready.ts boots there).
import { once } from 'node:events';
import { boot } from './boot.ts';
import { enableSqliteInlineWriter } from './db/bulk-insert.ts';
import { ConfigError, env } from './env.ts';
import { startConsoleProcess } from './http/console-process.ts';
import { createProtocolServer } from './http/protocol-server.ts';
import { log } from './log.ts';
import { startBackgroundWork } from './services/background.ts';
import { clearLocal } from './services/cache.ts';
import { onConfigCommitted, onOutboxCommitted } from './services/events/index.ts';
import { runningDispatcher } from './services/webhooks/dispatcher.ts';

async function main(): Promise<void> {
  const t0 = performance.now();
  const config = env();
  await boot({ migrate: true });
  enableSqliteInlineWriter();

  const nudge = () => runningDispatcher()?.nudge();
  onOutboxCommitted(nudge);
  const consoleProcess = await startConsoleProcess({
    dev: process.argv.includes('--dev'),
    // The console process tells us when its changes queued webhook deliveries or changed configuration.
    onMessage: (message) => {
      const signal = (message as { sigil?: string } | null)?.sigil;
      if (signal === 'outbox-committed') nudge();
      else if (signal === 'config-committed') clearLocal();
    },
  });
  onConfigCommitted(() => consoleProcess.send({ sigil: 'config-committed' }));
  const server = createProtocolServer(consoleProcess.forward);
  server.listen(config.port, config.host);
  await once(server, 'listening');
  consoleProcess.launch();
  const stopBackground = startBackgroundWork();
  log.info({ url: config.publicUrl, port: config.port, startMs: Math.round(performance.now() - t0) }, 'listening');

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    stopBackground();
    server.close();
    server.closeIdleConnections();
    void consoleProcess.stop().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 8000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    // For the operator at the terminal, not for a log pipeline: plain text naming the variable.
    process.stderr.write(`sigil: ${error.message}\n`);
    process.exit(78);
  }
  log.error({ err: error }, 'failed to start');
  process.exit(1);
});
