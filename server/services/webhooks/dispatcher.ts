// Delivering the outbox. Two drivers over the same claim + deliver steps:
// - `Dispatcher`: the self-hosted process's loop. Polls every 250 ms, wakes at once on a nudge (rows just
//   committed), keeps up to SIGIL_WEBHOOK_CONCURRENCY requests in flight.
// - `deliverDue`: a bounded pass for serverless (Next `after()` and the cron route): claim, deliver,
//   repeat until nothing is due or the time budget is spent.
// Claims are leases, so any mix of processes and passes may run at once without double delivery within a
// lease, and a crashed holder's rows come back when its leases expire.
import { randomId } from '../crypto.ts';
import { claimDue, type ClaimedDelivery } from './claim.ts';
import { env } from '../../env.ts';
import { deliverClaimed, type AttemptStatus } from './deliver.ts';
import { log } from '../../log.ts';

const warn = (message: string, error?: unknown) => {
  log.warn({ component: 'webhooks', err: error }, message);
};

/** One id per process: lease owners read `<instance>:<claim>`, which tells operators who holds a row. */
export const INSTANCE_ID = randomId(10);

async function safeDeliver(row: ClaimedDelivery): Promise<AttemptStatus | 'Failed'> {
  try {
    return await deliverClaimed(row);
  } catch (error) {
    // Unexpected (database down, undecryptable key): the lease expires and the row is retried.
    warn(`delivery ${row.id} failed unexpectedly`, error);
    return 'Failed';
  }
}

export class Dispatcher {
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private claiming = false;
  private again = false;
  private stopped = true;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Rows were committed: look now (or after `delayMs`) instead of at the next poll. */
  nudge(delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) setTimeout(() => this.nudge(0), delayMs).unref();
    else void this.pump();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), ms);
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = true;
    const config = env().webhooks;
    let claimedFull = false;
    let wait = config.pollMs;
    try {
      do {
        this.again = false;
        const free = config.concurrency - this.inFlight;
        // Claim in batches (a claim costs the same for 1 row or 16), unless idle.
        if (free <= 0 || (this.inFlight > 0 && free < Math.ceil(config.concurrency / 4))) break;
        const rows = await claimDue(INSTANCE_ID, free, config.leaseMs);
        claimedFull = rows.length === free;
        for (const row of rows) this.launch(row);
      } while (this.again && !this.stopped);
    } catch (error) {
      warn('claiming due deliveries failed; retrying in 5 s', error);
      wait = 5_000; // the database is unwell: do not hammer it (or the log) every 250 ms
    } finally {
      this.claiming = false;
    }
    // Full claim: more may be due, and a finishing delivery pumps again. Otherwise wait for the poll.
    if (!claimedFull) this.schedule(wait);
  }

  private launch(row: ClaimedDelivery): void {
    this.inFlight++;
    void safeDeliver(row).then(() => {
      this.inFlight--;
      void this.pump();
    });
  }
}

let running: Dispatcher | undefined;

/** Start this process's dispatcher (self-hosted server); returns its stop function. */
export function startDispatcher(): () => void {
  const dispatcher = (running ??= new Dispatcher());
  dispatcher.start();
  return () => {
    dispatcher.stop();
    running = undefined;
  };
}

export function runningDispatcher(): Dispatcher | undefined {
  return running;
}

export type PassResult = { claimed: number; delivered: number; retrying: number; dead: number; failed: number };

/** A bounded delivery pass (serverless): claims in waves of SIGIL_WEBHOOK_CONCURRENCY until none is due. */
export async function deliverDue(options: { budgetMs: number }): Promise<PassResult> {
  const config = env().webhooks;
  const deadline = Date.now() + options.budgetMs;
  const result: PassResult = { claimed: 0, delivered: 0, retrying: 0, dead: 0, failed: 0 };
  // Leave room for the last wave's requests to finish within the budget.
  while (Date.now() + config.timeoutMs < deadline || result.claimed === 0) {
    const rows = await claimDue(INSTANCE_ID, config.concurrency, config.leaseMs);
    if (rows.length === 0) break;
    result.claimed += rows.length;
    for (const status of await Promise.all(rows.map(safeDeliver))) {
      if (status === 'Delivered') result.delivered++;
      else if (status === 'Pending') result.retrying++;
      else if (status === 'Dead') result.dead++;
      else result.failed++;
    }
    if (Date.now() >= deadline) break;
  }
  return result;
}
