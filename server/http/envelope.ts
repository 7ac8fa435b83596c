// The protocol layer's envelope. Endpoints are functions ProtocolRequest -> ProtocolResponse; `webHandler`
// turns one into a plain `(Request) => Promise<Response>` (what Next route handlers and Vercel run), and the
// lean Node front calls the same functions without building Fetch objects (that costs ~35 µs a request).
import { clientIp } from './client-ip.ts';

export type ProtocolRequest = {
  method: string;
  /** Path without query, e.g. `/oidc/token`. */
  path: string;
  /** Query string without the leading `?`. */
  search: string;
  header: (name: string) => string | undefined;
  /** Raw body as text; null when there was none. */
  body: string | null;
  /** Set when the body was refused before reading it all. */
  bodyError?: 'too_large' | 'unreadable';
  ip: string | null;
  /** One of SINGLE_VALUED_HEADERS that the request repeats; endpoints answer 400 without looking further. */
  duplicateHeader?: string;
};

/**
 * Headers that must appear at most once: with two Authorization headers it is unclear whose credentials
 * count, with two Content-Types how to read the body (intermediaries may pick another one than we do).
 */
export const SINGLE_VALUED_HEADERS = ['authorization', 'content-type'] as const;

/**
 * Fetch joins a repeated header's values with ", ". No credentials or media type these endpoints accept
 * contain a comma outside a quoted string, so one there means the header was repeated.
 */
function joinedDuplicate(header: (n: string) => string | undefined): string | undefined {
  return SINGLE_VALUED_HEADERS.find((name) => header(name)?.replace(/"(?:[^"\\]|\\.)*"/g, '').includes(','));
}

export type ProtocolResponse = {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values, one per cookie (a header record cannot repeat a name). */
  cookies?: string[];
  body: string;
  /** When set, the body is streamed from it instead (large exports); `body` is ignored. */
  stream?: AsyncIterable<string>;
};

/** A pull-based Web stream over string chunks: the next chunk is produced only when the client reads. */
export function toReadableStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export type Endpoint = (req: ProtocolRequest) => Promise<ProtocolResponse>;

export const MAX_BODY_BYTES = 64 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ProtocolResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}


async function readLimited(req: Request, limit: number): Promise<{ body: string | null; error?: 'too_large' | 'unreadable' }> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) return { body: null, error: 'too_large' };
  if (!req.body) return { body: null };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { body: null, error: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { body: null, error: 'unreadable' };
  }
  return { body: Buffer.concat(chunks).toString('utf8') };
}

export function webHandler(endpoint: Endpoint, limit = MAX_BODY_BYTES): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    const { body, error } = req.method === 'GET' || req.method === 'HEAD' ? { body: null } : await readLimited(req, limit);
    const header = (n: string) => req.headers.get(n) ?? undefined;
    const duplicateHeader = joinedDuplicate(header);
    const out = await endpoint({ method: req.method, path: url.pathname, search: url.search.slice(1), header, body, bodyError: error, ip: clientIp(header, null), ...(duplicateHeader ? { duplicateHeader } : {}) });
    const headers = new Headers(out.headers);
    for (const cookie of out.cookies ?? []) headers.append('set-cookie', cookie);
    if (out.stream && req.method !== 'HEAD') return new Response(toReadableStream(out.stream), { status: out.status, headers });
    // Fetch's Response refuses any body, even '', with 204/205/304 (DELETE answers 204).
    const noBody = req.method === 'HEAD' || out.status === 204 || out.status === 205 || out.status === 304;
    return new Response(noBody ? null : out.body, { status: out.status, headers });
  };
}
