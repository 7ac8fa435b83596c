// Starts the peer (bench/peer/provider.mjs: node-oidc-provider v9) in its own process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mainThreadProfile, profileArgs } from './profile.ts';
import { freePort, ROOT } from './sigil.ts';

export type PeerServer = {
  url: string;
  pid: number;
  tokenPath: string;
  client: { id: string; secret: string };
  resource: string;
  scope: string;
  logs(): string;
  /** Stops the peer; resolves with the CPU profile file when profiling. */
  stop(): Promise<string | undefined>;
};

export async function startPeer(options: { resource: string; scope: string; profileDir?: string }): Promise<PeerServer> {
  const port = await freePort();
  const client = { id: 'bench-client', secret: randomBytes(24).toString('base64url') };
  const profileDir = options.profileDir ? join(options.profileDir, 'peer') : undefined;
  const nodeArgs = [...(profileDir ? profileArgs(profileDir) : []), join(ROOT, 'bench/peer/provider.mjs')];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PEER_PORT: String(port),
      PEER_CLIENT_ID: client.id,
      PEER_CLIENT_SECRET: client.secret,
      PEER_RESOURCE: options.resource,
      PEER_SCOPE: options.scope,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const ready = new Promise<{ issuer: string; tokenEndpoint: string }>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      const m = /^ready (\S+) (\S+)$/m.exec(output);
      if (m) resolve({ issuer: m[1]!, tokenEndpoint: m[2]! });
    });
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`peer did not start within 60 s:\n${output}`)), 60_000).unref();
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    }
    return profileDir ? mainThreadProfile(profileDir) : undefined;
  };
  try {
    const { issuer, tokenEndpoint } = await ready;
    return {
      url: issuer,
      pid: child.pid!,
      tokenPath: new URL(tokenEndpoint).pathname,
      client,
      resource: options.resource,
      scope: options.scope,
      logs: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
