// The console's Next.js server as a child process of the self-hosted protocol process: started on a private
// loopback port, restarted if it dies (with backoff), stopped with its parent. Requests reach it only through
// `forward`, which streams them both ways and passes the client IP in a header the child believes only with
// the per-boot token they share (http/client-ip.ts). The child dies with its parent even on SIGKILL: it
// watches the IPC channel (console-child-guard.mjs).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../log.ts';
import { CLIENT_IP_HEADER, PROXY_TOKEN_HEADER } from './client-ip.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const NEXT_BIN = join(root, 'node_modules/next/dist/bin/next');
const GUARD = join(dirname(fileURLToPath(import.meta.url)), 'console-child-guard.mjs');
/** How long a console request waits for a (re)starting child before 503. */
const READY_WAIT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
// Hop-by-hop headers (RFC 9110 §7.6.1) and ours, which only this process may set.
const DROP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', CLIENT_IP_HEADER, PROXY_TOKEN_HEADER]);

export type ConsoleProcess = {
  /**
   * Starts the child (once). Until it listens, forwarded requests wait for it (up to READY_WAIT_MS). The
   * protocol process calls this once it serves tokens itself: Next's start-up would otherwise take half
   * of the CPU a cold start has (all of it, on one core) before the first token.
   */
  launch(): void;
  forward(req: IncomingMessage, res: ServerResponse, clientIp: string | null): void;
  /** A message to the console process over IPC (dropped while it is down: it starts with an empty cache). */
  send(message: object): void;
  stop(): Promise<void>;
};

export async function startConsoleProcess(options: { dev: boolean; onMessage?: (message: unknown) => void }): Promise<ConsoleProcess> {
  const port = await freeLoopbackPort();
  const token = randomBytes(32).toString('base64url');
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let launched = false;
  let markLaunched!: () => void;
  let ready: Promise<void> = new Promise<void>((resolve) => (markLaunched = resolve)).then(() => waitForPort(port));

  const launch = () => {
    const startedAt = Date.now();
    const proc = spawn(process.execPath, ['--import', GUARD, NEXT_BIN, options.dev ? 'dev' : 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: root,
      env: { ...process.env, SIGIL_INTERNAL_TOKEN: token, NODE_ENV: options.dev ? 'development' : 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    proc.on('message', (message) => options.onMessage?.(message));
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 500 * 2 ** (failures - 1));
      log.warn({ code, signal, restartInMs: delay }, 'console process exited; restarting');
      ready = new Promise((resolve) => setTimeout(() => {
        if (stopping) return;
        launch();
        void waitForPort(port).then(resolve);
      }, delay).unref());
    });
  };

  return {
    launch() {
      if (launched || stopping) return;
      launched = true;
      launch();
      markLaunched();
    },
    forward(req, res, clientIp) {
      const headers = forwardedHeaders(req.rawHeaders);
      headers.push(PROXY_TOKEN_HEADER, token);
      if (clientIp) headers.push(CLIENT_IP_HEADER, clientIp);
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), READY_WAIT_MS).unref());
      void Promise.race([ready, timeout]).then((state) => {
        if (state === 'timeout') return unavailable(res);
        proxy(req, res, { port, agent, headers });
      });
    },
    send(message) {
      if (child?.connected) child.send(message, (error: Error | null) => error && log.debug({ err: error }, 'IPC send failed'));
    },
    async stop() {
      stopping = true;
      agent.destroy();
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Streams one request to the child and its answer back. A request without a body is sent again once if
 * it fails on a reused socket: Node's agent may hand out a kept-alive socket the child is closing at that
 * moment (its idle timeout), which fails with ECONNRESET before any answer.
 */
export function proxy(req: IncomingMessage, res: ServerResponse, target: { port: number; agent: Agent; headers: string[] }): void {
  const bodiless = (req.method === 'GET' || req.method === 'HEAD') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
  const send = (retry: boolean) => {
    const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: target.headers, agent: target.agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy();
      if (retry && upstream.reusedSocket && !res.destroyed) return send(false);
      log.warn({ code: error.code, method: req.method }, 'console process did not answer');
      unavailable(res);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (bodiless) upstream.end();
    else req.pipe(upstream);
  };
  send(bodiless);
}

function forwardedHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!DROP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

function unavailable(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ code: 'console.unavailable', message: 'The console is starting; try again in a moment.' });
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (Next listens when it is ready to serve). */
async function waitForPort(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
