// The Next.js entry layer's start-up (the console process of a self-hosted server, `next start`, Vercel):
// boot once per server layer, lazily, and decide who delivers webhooks after a commit.
// - Started by the self-hosted protocol process (it shares a token with us): tell it over the IPC channel
//   (its dispatcher delivers; its 250 ms poll is the backstop if a message is lost).
//   It also tells it when a configuration change committed, and hears the same from it, so neither process
//   serves a cache staler than the request that changed it (an app's new secret works at once).
// - Anywhere else (Vercel, plain `next start`): a bounded delivery pass after the response (`after()`);
//   the cron route picks up anything left, and every retry.
import { after } from 'next/server';
import { boot } from '../boot.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';
import { clearLocal } from '../services/cache.ts';
import { onConfigCommitted, onOutboxCommitted } from '../services/events/index.ts';
import { deliverDue } from '../services/webhooks/dispatcher.ts';

/** How long an `after()` pass may run. */
const AFTER_BUDGET_MS = 10_000;

let booted: Promise<void> | undefined;

export function ready(): Promise<void> {
  booted ??= start().catch((error) => {
    booted = undefined;
    throw error;
  });
  return booted;
}

async function start(): Promise<void> {
  await boot({ migrate: false });
  if (env().internalToken && process.send) {
    onOutboxCommitted(() => process.send?.({ sigil: 'outbox-committed' }));
    onConfigCommitted(() => process.send?.({ sigil: 'config-committed' }));
    process.on('message', (message) => (message as { sigil?: string } | null)?.sigil === 'config-committed' && clearLocal());
  } else onOutboxCommitted(deliverAfterResponse);
}

function deliverAfterResponse(): void {
  try {
    after(() =>
      deliverDue({ budgetMs: AFTER_BUDGET_MS }).then(
        () => undefined,
        (error: unknown) => log.warn({ err: error }, 'webhook delivery after response failed'),
      ),
    );
  } catch {
    // Not inside a request (nothing to attach to): the cron route delivers.
  }
}
