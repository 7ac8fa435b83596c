// SSRF-safe HTTP client for requests whose destination an admin chose (claim-script fetch, webhooks).
//
// - Only http: and https: URLs; no credentials smuggled into other schemes.
// - The host name is resolved here (all addresses). If ANY address is loopback/private/link-local/
//   metadata/... the request is refused before a socket is opened (unless allowPrivateNetworks).
// - The connection is pinned to the vetted address through the `lookup` hook, so a second DNS answer
//   (DNS rebinding) cannot redirect it; Host header and TLS SNI keep the original name.
// - One deadline covers DNS, connect, headers and body; the body is capped (too_large).
// - Redirects are not followed unless maxRedirects > 0, and then every hop is vetted again.
// - No connection reuse (agent: false): a pooled socket could have been vetted under another policy.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { OutboundError } from './errors.ts';
import { blockedReason } from './ip.ts';

export type ResolvedAddress = { address: string; family: number };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeRequestOptions {
  url: string | URL;
  method?: string;
  headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  body?: string | Uint8Array | null;
  /** Whole request: DNS + connect + response body. Default 10 s. */
  timeoutMs?: number;
  /** Response body cap; exceeding it aborts the request with `too_large`. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Permit loopback/private/link-local destinations (development only). Default false. */
  allowPrivateNetworks?: boolean;
  /** Redirects to follow, each re-validated. Default 0: a 3xx response is returned as is. */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** DNS resolver override (tests). Default: dns.promises.lookup(host, { all: true }). */
  resolve?: Resolver;
}

export interface SafeResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Final URL (after redirects, if any were followed). */
  url: string;
  redirected: boolean;
  /** The IP address actually connected to. */
  remoteAddress: string;
}

export const DEFAULT_OUTBOUND_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
// Managed by this client; callers cannot set them.
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);
const CROSS_ORIGIN_STRIPPED = new Set(['authorization', 'cookie', 'proxy-authorization']);

const defaultResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family }));
};

export function parseOutboundUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new OutboundError('invalid_url', 'Invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('invalid_url', `Unsupported URL scheme ${url.protocol.replace(/:$/, '')}; only http and https are allowed`);
  }
  if (!url.hostname) throw new OutboundError('invalid_url', 'URL has no host');
  return url;
}

function normalizeHeaders(input: SafeRequestOptions['headers']): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const entries: Iterable<readonly [string, string]> = !input ? [] : Array.isArray(input) ? input : Object.entries(input);
  for (const [rawName, rawValue] of entries) {
    const name = String(rawName).trim().toLowerCase();
    const value = String(rawValue);
    if (!TOKEN.test(name)) throw new OutboundError('invalid_url', `Invalid header name: ${JSON.stringify(String(rawName)).slice(0, 80)}`);
    if (/[\r\n\0]/.test(value)) throw new OutboundError('invalid_url', `Invalid value for header ${name}`);
    if (DROPPED_HEADERS.has(name)) continue;
    out.push([name, value]);
  }
  return out;
}

function remainingMs(deadline: number): number {
  return deadline - Date.now();
}

async function resolveHost(hostname: string, deadline: number, resolver: Resolver, signal?: AbortSignal): Promise<ResolvedAddress[]> {
  const family = isIP(hostname);
  if (family) return [{ address: hostname, family }];
  const remaining = remainingMs(deadline);
  if (remaining <= 0) throw new OutboundError('timeout', 'Request timed out');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      resolver(hostname).catch((error: unknown) => {
        throw new OutboundError('network', `DNS lookup failed for ${hostname}`, { cause: error });
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OutboundError('timeout', `DNS lookup for ${hostname} timed out`)), remaining);
        if (signal) {
          onAbort = () => reject(new OutboundError('network', 'Request aborted'));
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}

type Hop = {
  url: URL;
  method: string;
  headers: Array<[string, string]>;
  body: Buffer | null;
};

type HopOptions = {
  maxResponseBytes: number;
  allowPrivateNetworks: boolean;
  resolve: Resolver;
  signal?: AbortSignal;
};

async function requestOnce(hop: Hop, deadline: number, opts: HopOptions): Promise<SafeResponse> {
  const { url } = hop;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const addresses = await resolveHost(hostname, deadline, opts.resolve, opts.signal);
  if (addresses.length === 0) throw new OutboundError('network', `No addresses found for ${hostname}`);
  if (!opts.allowPrivateNetworks) {
    for (const a of addresses) {
      const reason = blockedReason(a.address);
      if (reason) {
        throw new OutboundError(
          'blocked_address',
          hostname === a.address
            ? `Requests to ${reason} address ${a.address} are not allowed`
            : `${hostname} resolves to ${reason} address ${a.address}; requests to it are not allowed`,
        );
      }
    }
  }
  const target = addresses[0]!;
  const remaining = remainingMs(deadline);
  if (remaining <= 0) throw new OutboundError('timeout', 'Request timed out');
  if (opts.signal?.aborted) throw new OutboundError('network', 'Request aborted');

  const isHttps = url.protocol === 'https:';
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of hop.headers) {
    const prev = headers[name];
    headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  headers.host = url.host;
  if (!('user-agent' in headers)) headers['user-agent'] = 'Sigil';
  if (hop.body) headers['content-length'] = String(hop.body.length);
  if (url.username || url.password) {
    if (!('authorization' in headers)) {
      const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.authorization = `Basic ${Buffer.from(cred).toString('base64')}`;
    }
  }

  return await new Promise<SafeResponse>((resolve, reject) => {
    let settled = false;
    const finish = (error: OutboundError | null, value?: SafeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(value!);
      }
    };
    const onAbort = () => finish(new OutboundError('network', 'Request aborted'));
    const timer = setTimeout(() => finish(new OutboundError('timeout', `Request to ${url.host} timed out`)), remaining);

    const requestOptions: https.RequestOptions = {
      protocol: url.protocol,
      host: hostname,
      port: url.port ? Number(url.port) : isHttps ? 443 : 80,
      path: `${url.pathname}${url.search}`,
      method: hop.method,
      headers,
      agent: false,
      setHost: false,
      // Pin the socket to the vetted address; never consult DNS again.
      lookup: ((_name: string, options: { all?: boolean } | undefined, callback: (...args: unknown[]) => void) => {
        if (options && typeof options === 'object' && options.all) callback(null, [{ address: target.address, family: target.family }]);
        else callback(null, target.address, target.family);
      }) as unknown as http.RequestOptions['lookup'],
    };
    if (isHttps && !isIP(hostname)) requestOptions.servername = hostname;
    const req = (isHttps ? https : http).request(requestOptions);

    req.on('socket', (socket) => {
      socket.once('connect', () => {
        // Defence in depth: the pinned lookup must be what we connected to.
        const remote = socket.remoteAddress ?? '';
        const same = remote === target.address || remote.replace(/^::ffff:/, '') === target.address.replace(/^::ffff:/, '');
        if (!same) finish(new OutboundError('blocked_address', `Connected to unexpected address ${remote}`));
      });
    });
    req.on('error', (error) => {
      finish(error instanceof OutboundError ? error : new OutboundError('network', `Request to ${url.host} failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`, { cause: error }));
    });
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > opts.maxResponseBytes) {
        res.destroy();
        finish(new OutboundError('too_large', `Response body exceeds ${opts.maxResponseBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > opts.maxResponseBytes) {
          res.destroy();
          finish(new OutboundError('too_large', `Response body exceeds ${opts.maxResponseBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(new OutboundError('network', `Reading the response from ${url.host} failed`, { cause: error })));
      res.on('aborted', () => finish(new OutboundError('network', `Response from ${url.host} was aborted`)));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          out[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        finish(null, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: out,
          body: Buffer.concat(chunks, total),
          url: url.toString(),
          redirected: false,
          remoteAddress: target.address,
        });
      });
    });
    if (opts.signal) {
      if (opts.signal.aborted) {
        onAbort();
        return;
      }
      opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    req.end(hop.body ?? undefined);
  });
}

/**
 * Performs one HTTP(S) request to an admin-chosen URL with SSRF protection.
 * Throws OutboundError with code blocked_address | timeout | too_large | invalid_url | network.
 * Non-2xx statuses are returned, not thrown.
 */
export async function safeRequest(options: SafeRequestOptions): Promise<SafeResponse> {
  const timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_OUTBOUND_TIMEOUT_MS);
  const deadline = Date.now() + timeoutMs;
  const maxResponseBytes = Math.max(0, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
  const maxRedirects = Math.max(0, Math.min(10, options.maxRedirects ?? 0));
  const method = (options.method ?? 'GET').toUpperCase();
  if (!TOKEN.test(method) || FORBIDDEN_METHODS.has(method)) throw new OutboundError('invalid_url', `Unsupported request method ${method.slice(0, 20)}`);
  const body = options.body == null ? null : typeof options.body === 'string' ? Buffer.from(options.body) : Buffer.from(options.body);
  let hop: Hop = { url: parseOutboundUrl(options.url), method, headers: normalizeHeaders(options.headers), body };
  const common: HopOptions = {
    maxResponseBytes,
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    resolve: options.resolve ?? defaultResolver,
    signal: options.signal,
  };
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(hop, deadline, common);
    const location = response.headers.location;
    if (redirects >= maxRedirects || !location || ![301, 302, 303, 307, 308].includes(response.status)) {
      return { ...response, redirected: redirects > 0 };
    }
    let next: URL;
    try {
      next = parseOutboundUrl(new URL(location, hop.url));
    } catch (error) {
      if (error instanceof OutboundError) throw new OutboundError('invalid_url', `Redirect to an invalid location: ${error.message}`);
      throw error;
    }
    const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && hop.method === 'POST');
    const sameOrigin = next.origin === hop.url.origin;
    hop = {
      url: next,
      method: toGet ? (hop.method === 'HEAD' ? 'HEAD' : 'GET') : hop.method,
      headers: hop.headers.filter(([name]) => (sameOrigin || !CROSS_ORIGIN_STRIPPED.has(name)) && (!toGet || name !== 'content-type')),
      body: toGet ? null : hop.body,
    };
  }
}
