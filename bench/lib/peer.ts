// Starts the peer (bench/peer/provider.mjs: node-oidc-provider v9, the engine under Logto) in its own process.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startChild } from './child.ts';
import { freePort, type Client } from './http.ts';
import { profileArgs } from './profile.ts';
import type { Server } from './scenario.ts';
import { BENCH_OPAQUE_RESOURCE, BENCH_RESOURCE, BENCH_SCOPE } from './setup.ts';

/** The peer's client for the authorization code flow, and where its codes are sent (never contacted). */
export type CodeClient = Client & { redirectUri: string };

export async function startPeer(root: string, profileDir?: string): Promise<Server & { client: Client; codeClient: CodeClient }> {
  const port = await freePort();
  const client = { id: 'bench-client', secret: randomBytes(24).toString('base64url') };
  const codeClient = { id: 'bench-web', secret: randomBytes(24).toString('base64url'), redirectUri: 'http://127.0.0.1:9/callback' };
  const child = startChild('peer', process.execPath, [...(profileDir ? profileArgs(profileDir) : []), join(root, 'bench/peer/provider.mjs')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PEER_PORT: String(port),
      PEER_CLIENT_ID: client.id,
      PEER_CLIENT_SECRET: client.secret,
      PEER_RESOURCE: BENCH_RESOURCE,
      PEER_OPAQUE_RESOURCE: BENCH_OPAQUE_RESOURCE,
      PEER_SCOPE: BENCH_SCOPE,
      PEER_CODE_CLIENT_ID: codeClient.id,
      PEER_CODE_CLIENT_SECRET: codeClient.secret,
      PEER_REDIRECT_URI: codeClient.redirectUri,
    },
  });
  const ready = new Promise<{ issuer: string; discovery: Record<string, string> }>((resolve, reject) => {
    child.process.stdout!.on('data', () => {
      const m = /^ready (\S+) (.+)$/m.exec(child.output());
      if (m) resolve({ issuer: m[1]!, discovery: JSON.parse(m[2]!) });
    });
    child.exited.catch(reject);
    setTimeout(() => reject(new Error(`peer did not start within 60 s:\n${child.output()}`)), 60_000).unref();
  });
  try {
    const { issuer, discovery } = await ready;
    return {
      label: 'peer',
      url: issuer,
      pid: child.pid,
      tokenPath: new URL(discovery.token_endpoint!).pathname,
      introspectionPath: new URL(discovery.introspection_endpoint!).pathname,
      jwksUrl: discovery.jwks_uri!,
      issuer,
      client,
      codeClient,
      logs: child.output,
      stop: child.stop,
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
