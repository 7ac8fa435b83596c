// Must be evaluated before `next/server`. Next's request-scoped APIs (`after()`) keep their state in an
// AsyncLocalStorage created when their module first loads, from `globalThis.AsyncLocalStorage`, which
// Next itself only installs when its server starts. The self-hosted process loads services (and so
// `next/server`) before starting Next; without this, Next would be left with a fake storage that throws.
// This installs exactly what Next's `node-environment-baseline` installs, earlier; a no-op inside Next.
import { AsyncLocalStorage } from 'node:async_hooks';

const g = globalThis as { AsyncLocalStorage?: unknown };
if (typeof g.AsyncLocalStorage !== 'function') g.AsyncLocalStorage = AsyncLocalStorage;
