// The worker's side of a run's fetch(): the script's requests go to the server thread, which performs
// them with the SSRF-safe client under the run's limits (../fetch-bridge.ts) and answers with their
// outcomes. Keeping the network on the server thread keeps one outbound client, one place where its
// limits are enforced, and nothing but JSON text in the worker.
import type { WorkerMessage } from '../protocol.ts';
import type { RunFetch } from './run.ts';

function count(json: string): number {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.length : 0;
  } catch {
    return 0;
  }
}

export class FetchProxy implements RunFetch {
  private sent = 0;
  private answered = 0;
  /** `fetched` messages received (see the `parked` message). */
  private received = 0;
  private readonly completed: string[] = [];
  private notify: (() => void) | null = null;

  constructor(
    private readonly id: number,
    private readonly post: (message: WorkerMessage) => void,
  ) {}

  get pending(): number {
    return this.sent - this.answered;
  }

  get hasCompleted(): boolean {
    return this.completed.length > 0;
  }

  start(queueJson: string): void {
    const n = count(queueJson);
    if (n === 0) return;
    this.sent += n;
    this.post({ type: 'fetch', id: this.id, requests: queueJson });
  }

  /** Outcomes from the server thread (JSON array text): one per request, in any order. */
  deliver(outcomesJson: string): void {
    this.received++;
    this.answered += count(outcomesJson);
    this.completed.push(outcomesJson);
    const wake = this.notify;
    this.notify = null;
    wake?.();
  }

  take(): string | null {
    if (this.completed.length === 0) return null;
    const items = this.completed.map((batch) => batch.slice(1, -1)).filter((inner) => inner.trim() !== '');
    this.completed.length = 0;
    return `[${items.join(',')}]`;
  }

  async wait(until: number): Promise<void> {
    if (this.completed.length > 0) return;
    const remaining = until - performance.now();
    if (remaining <= 0) return;
    // Only waiting now: the server thread may give this worker another run meanwhile.
    this.post({ type: 'parked', id: this.id, received: this.received });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.notify = null;
        resolve();
      }, Math.ceil(remaining));
      this.notify = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  close(): void {
    // The server thread aborts the run's requests still in flight when it receives the result.
  }
}
