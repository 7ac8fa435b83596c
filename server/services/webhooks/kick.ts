// "Outbox rows were committed; deliver them soon." Where the work runs depends on the process:
// - a self-hosted server has a dispatcher in process: nudge it;
// - inside a Next.js request (Vercel, `next start`): run a bounded delivery pass with `after()`, which
//   Next runs once the response is sent (on Vercel the function stays alive for it);
// - anywhere else (CLI): nothing; the next dispatcher poll or cron run delivers.
import './async-storage-global.ts';
import { after } from 'next/server';
import { deliverDue, runningDispatcher } from './dispatcher.ts';

/** How long an `after()` pass may run; the cron route picks up anything left (and all retries). */
const AFTER_BUDGET_MS = 10_000;

export function kickDispatcher(options: { delayMs?: number } = {}): void {
  const local = runningDispatcher();
  if (local) {
    local.nudge(options.delayMs ?? 0);
    return;
  }
  try {
    after(() =>
      deliverDue({ budgetMs: AFTER_BUDGET_MS }).then(
        () => undefined,
        (error: unknown) => console.warn('[sigil] webhooks: delivery after response failed', error),
      ),
    );
  } catch {
    // Not inside a Next.js request: the cron route (or a server's dispatcher) will deliver.
  }
}
