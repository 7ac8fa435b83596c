// Server-thread side of a script's fetch(): takes the JSON requests the VM queued (sent over by the
// run's worker), performs them with the SSRF-safe client under the run's limits (requests per run, body
// sizes, redirects, private networks, the run's deadline), and hands the JSON outcomes back to the pool,
// which posts them to the worker. Never touches the VM; only strings go in and out.
import { OutboundError, safeRequest } from '../outbound/index.ts';
import type { SandboxLimits } from './types.ts';

type QueuedRequest = { id: number; url: string; method: string; headers: Array<[string, string]>; body: string | null };

const MAX_REDIRECTS = 3;
const DEADLINE_MARGIN_MS = 100;
const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

function parseQueue(json: string): QueuedRequest[] {
  const raw: unknown = JSON.parse(json);
  if (!Array.isArray(raw)) return [];
  const out: QueuedRequest[] = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'number' || typeof r.url !== 'string' || typeof r.method !== 'string') continue;
    const headers = Array.isArray(r.headers)
      ? (r.headers as unknown[]).filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string')
      : [];
    out.push({ id: r.id, url: r.url, method: r.method, headers, body: typeof r.body === 'string' ? r.body : null });
  }
  return out;
}

export class FetchBridge {
  private controller: AbortController | null = null;
  private readonly completed: string[] = [];
  private inflight = 0;
  private started = 0;

  constructor(
    private readonly limits: SandboxLimits['fetch'],
    /** performance.now() time at which the run is over. */
    private readonly deadline: number,
    /** Called when outcomes are ready to take(). */
    private readonly onOutcome: () => void,
  ) {}

  /** Starts the requests in a drained outbox (JSON array text). */
  start(queueJson: string): void {
    let queue: QueuedRequest[];
    try {
      queue = parseQueue(queueJson);
    } catch {
      return;
    }
    for (const request of queue) {
      if (this.started >= this.limits.maxRequests) {
        this.complete({ id: request.id, error: `at most ${this.limits.maxRequests} requests are allowed per run` });
        continue;
      }
      if (request.body !== null && Buffer.byteLength(request.body) > MAX_REQUEST_BODY_BYTES) {
        this.complete({ id: request.id, error: `too_large: request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes` });
        continue;
      }
      this.started++;
      this.controller ??= new AbortController();
      // The run's deadline ends the run (and aborts the request) first; the margin keeps the request's
      // own timer from racing it and turning a run timeout into a fetch error.
      const untilDeadline = Math.max(1, Math.ceil(this.deadline - performance.now()) + DEADLINE_MARGIN_MS);
      const timeoutMs = Math.min(untilDeadline, this.limits.timeoutMs ?? untilDeadline);
      this.inflight++;
      safeRequest({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeoutMs,
        maxResponseBytes: this.limits.maxResponseBytes,
        allowPrivateNetworks: this.limits.allowPrivateNetworks,
        maxRedirects: MAX_REDIRECTS,
        signal: this.controller.signal,
      }).then(
        (res) => {
          this.inflight--;
          this.complete({
            id: request.id,
            status: res.status,
            statusText: res.statusText,
            headers: res.headers,
            body: res.body.toString('utf8'),
            url: res.url,
            redirected: res.redirected,
          });
        },
        (error: unknown) => {
          this.inflight--;
          const message = error instanceof OutboundError ? `${error.code}: ${error.message}` : 'network error';
          this.complete({ id: request.id, error: message });
        },
      );
    }
  }

  private complete(outcome: Record<string, unknown>): void {
    this.completed.push(JSON.stringify(outcome));
    // Outcomes that complete together (refusals of one batch) leave in one message.
    if (this.completed.length === 1) queueMicrotask(this.onOutcome);
  }

  /** Completed outcomes as one JSON array text, or null if none. */
  take(): string | null {
    if (this.completed.length === 0) return null;
    const json = `[${this.completed.join(',')}]`;
    this.completed.length = 0;
    return json;
  }

  /** Aborts every request still in flight (the run is over). */
  close(): void {
    if (this.inflight > 0) this.controller?.abort();
  }
}
