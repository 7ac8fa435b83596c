import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runClaimsScript, type SandboxLimitsInput, type SandboxResult } from '../../../server/services/sandbox/index.ts';

export const baseInput = {
  token: { sub: 'user-1', aud: 'app-1', scope: 'openid profile' },
  context: {
    application: { id: 'app-1', name: 'Acme Portal' },
    user: { id: 'user-1', email: 'alice@example.com', name: 'Alice' },
    roles: [{ name: 'admin' }, { name: 'editor' }],
  },
  environmentVariables: { TENANT: 'acme' },
};

/** Runs `body` as the body of `async function getCustomJwtClaims({ token, context, environmentVariables, api })`. */
export function runBody(body: string, limits?: SandboxLimitsInput): Promise<SandboxResult> {
  const script = `async function getCustomJwtClaims({ token, context, environmentVariables, api }) {\n${body}\n}`;
  return runClaimsScript({ ...baseInput, script, limits });
}

export function run(script: string, limits?: SandboxLimitsInput, extra?: Partial<typeof baseInput>): Promise<SandboxResult> {
  return runClaimsScript({ ...baseInput, ...extra, script, limits });
}

export function expectFailure(result: SandboxResult, kind: string): Extract<SandboxResult, { ok: false }> {
  if (result.ok) throw new Error(`expected failure "${kind}", got success: ${JSON.stringify(result.claims)}`);
  if (result.kind !== kind) throw new Error(`expected failure "${kind}", got "${result.kind}": ${result.message}`);
  return result;
}

export function expectClaims(result: SandboxResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected success, got ${result.kind}: ${result.message}`);
  return result.claims;
}

export type TestServer = { url: string; port: number; hits: string[]; close: () => Promise<void> };

/** A real HTTP server; records every request it receives (method + path). */
export async function startServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<TestServer> {
  const hits: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on('connection', (socket) => {
    hits.push('connection');
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
