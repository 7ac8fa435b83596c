// The request a data change happens in. The Management API runs each handler inside `withRequestContext`
// so that (1) webhook payloads carry Logto's request facts (`path`, `method`, `status`, `params`,
// `matchedRoute`) without every service passing them, and (2) the dispatcher is kicked only after the
// handler returned, i.e. after the change's transaction committed (a nudge before commit finds nothing).
import { AsyncLocalStorage } from 'node:async_hooks';
import { kickDispatcher } from '../webhooks/kick.ts';

export type RequestFacts = {
  path: string;
  method: string;
  /** The status the route answers on success (the handler runs before the response exists). */
  status: number;
  params: Record<string, string>;
  matchedRoute: string;
};

type Store = { facts: RequestFacts; enqueued: boolean };

const KEY = Symbol.for('sigil.request-context');
function storage(): AsyncLocalStorage<Store> {
  const g = globalThis as { [KEY]?: AsyncLocalStorage<Store> };
  return (g[KEY] ??= new AsyncLocalStorage<Store>());
}

export async function withRequestContext<T>(facts: RequestFacts, fn: () => Promise<T>): Promise<T> {
  const store: Store = { facts, enqueued: false };
  const result = await storage().run(store, fn);
  if (store.enqueued) kickDispatcher();
  return result;
}

export function currentRequestFacts(): RequestFacts | undefined {
  return storage().getStore()?.facts;
}

/**
 * Outbox rows were written in the current transaction. Inside a request: kick once the handler returns.
 * Elsewhere (console, CLI): a delayed nudge, or Next's `after()`; the dispatcher's poll and the cron
 * route are the backstop either way.
 */
export function noteEnqueued(): void {
  const store = storage().getStore();
  if (store) store.enqueued = true;
  else kickDispatcher({ delayMs: 20 });
}
