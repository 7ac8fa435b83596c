// Small HTTP helpers shared by the bench servers and scenarios.
import { createServer } from 'node:net';

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export const FORM = 'application/x-www-form-urlencoded';

export type Client = { id: string; secret: string };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** A form POST with Basic client authentication; the body as text. */
export async function postForm(url: string, client: Client, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': FORM, authorization: basic(client.id, client.secret) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}
