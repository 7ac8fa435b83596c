// The Management API request a data change happens in. Each handler runs inside `withRequestContext`, so
// webhook payloads carry Logto's request facts (`path`, `method`, `status`, `params`, `matchedRoute`)
// without every service passing them along.
import { AsyncLocalStorage } from 'node:async_hooks';

export type RequestFacts = {
  path: string;
  method: string;
  /** The status the route answers on success (the handler runs before the response exists). */
  status: number;
  params: Record<string, string>;
  matchedRoute: string;
};

const storage = new AsyncLocalStorage<RequestFacts>();

export function withRequestContext<T>(facts: RequestFacts, fn: () => Promise<T>): Promise<T> {
  return storage.run(facts, fn);
}

export function currentRequestFacts(): RequestFacts | undefined {
  return storage.getStore();
}
