// Node http.IncomingMessage -> ProtocolRequest, without building Fetch objects (the lean front's hot path).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp } from './client-ip.ts';
import { SINGLE_VALUED_HEADERS, type ProtocolRequest, type ProtocolResponse } from './envelope.ts';
import { log } from '../log.ts';

export function readBody(req: IncomingMessage, limit: number): Promise<{ body: string | null; error?: 'too_large' | 'unreadable' }> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return Promise.resolve({ body: null });
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { body: null, error: 'too_large' } : { body: size ? Buffer.concat(chunks).toString('utf8') : null }));
    req.on('error', () => resolve({ body: null, error: 'unreadable' }));
  });
}

export async function toProtocolRequest(req: IncomingMessage, limit: number): Promise<ProtocolRequest> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const { body, error } = await readBody(req, limit);
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  // `req.headers` keeps only the first Authorization or Content-Type of several; headersDistinct has them all.
  const duplicateHeader = SINGLE_VALUED_HEADERS.find((name) => (req.headersDistinct[name]?.length ?? 0) > 1);
  return {
    ...(duplicateHeader ? { duplicateHeader } : {}),
    method: req.method ?? 'GET',
    path: safePath(q === -1 ? url : url.slice(0, q)),
    search: q === -1 ? '' : url.slice(q + 1),
    header,
    body,
    bodyError: error,
    ip: clientIp(header, req.socket.remoteAddress ?? null),
  };
}

function safePath(raw: string): string {
  return raw.startsWith('/') ? raw : `/${raw}`;
}

export function send(res: ServerResponse, out: ProtocolResponse, head = false): void {
  if (out.cookies?.length) res.setHeader('set-cookie', out.cookies);
  res.writeHead(out.status, out.headers);
  if (out.stream && !head) void pipeStream(res, out.stream);
  else res.end(head ? undefined : out.body);
}

/** Write chunks as the source yields them, waiting for `drain` (backpressure); stop if the client leaves. */
async function pipeStream(res: ServerResponse, chunks: AsyncIterable<string>): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  try {
    for (;;) {
      if (closed) break;
      const { done, value } = await iterator.next();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.once('drain', go);
        res.once('close', go);
      });
    }
    if (closed) await iterator.return?.();
    else res.end();
  } catch (error) {
    // Headers are out: the only honest signal left is an aborted response, never a clean end.
    log.error({ err: error }, 'streamed response failed');
    res.destroy(error as Error);
  }
}
