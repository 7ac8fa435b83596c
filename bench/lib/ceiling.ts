// Starts the ceiling (bench/ceiling/server.mjs): a bare node:http server signing the same ES256 JWT.
import { join } from 'node:path';
import { startChild } from './child.ts';
import { freePort, type Client } from './http.ts';
import type { Server } from './scenario.ts';

export async function startCeiling(root: string): Promise<Server & { client: Client }> {
  const port = await freePort();
  const child = startChild('ceiling', process.execPath, [join(root, 'bench/ceiling/server.mjs')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', CEILING_PORT: String(port) },
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.process.stdout!.on('data', () => {
      const m = /^ready (\S+)/m.exec(child.output());
      if (m) resolve(m[1]!);
    });
    child.exited.catch(reject);
  });
  const url = await ready;
  return {
    label: 'ceiling',
    url,
    pid: child.pid,
    tokenPath: '/token',
    jwksUrl: `${url}/jwks`,
    issuer: 'http://ceiling',
    client: { id: 'bench-client', secret: 'unused' },
    logs: child.output,
    stop: child.stop,
  };
}
