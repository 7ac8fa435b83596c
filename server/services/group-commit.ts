// Group commit: records from concurrent requests are collected and written in one transaction; each caller
// resolves only after its record is durable. A commit has a fixed cost (on SQLite about 20 system calls:
// locks and a WAL frame per B-tree touched) that a batch shares, so the batch should hold every request
// that is about to arrive, not only those parsed in the same turn of the event loop.
//
// Collecting: after the first record, the batch waits one more turn of the event loop and keeps waiting,
// turn by turn, while each turn brings more records (requests still arriving, typically the other
// connections' next requests). It is written as soon as a turn brings nothing new, when it is full, or
// after `maxWaitMs`. Idle, that costs one extra turn (microseconds); under load, batches hold most of the
// requests in flight instead of about half of them, so a token costs fewer commits.

type Waiter<T> = { item: T; resolve: () => void; reject: (e: unknown) => void };

export class GroupCommit<T> {
  private pending: Array<Waiter<T>> = [];
  private scheduled = false;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
    private readonly maxWaitMs = 1,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.collect();
    });
  }

  private collect(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const started = performance.now();
    let seen = 0;
    const turn = () => {
      const n = this.pending.length;
      if (n > seen && n < this.maxBatch && performance.now() - started < this.maxWaitMs) {
        seen = n;
        setImmediate(turn);
        return;
      }
      this.scheduled = false;
      this.flush(this.pending.splice(0, this.maxBatch));
      if (this.pending.length > 0) this.collect();
    };
    setImmediate(turn);
  }

  private flush(batch: Array<Waiter<T>>): void {
    // One writer at a time: batches commit in order and never contend with each other.
    this.inFlight = this.inFlight.then(async () => {
      try {
        await this.write(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    });
  }

  /** Resolves when everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
    await this.inFlight;
  }
}
