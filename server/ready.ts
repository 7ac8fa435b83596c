// In a Next.js-only process (next start, Vercel) nothing ran bootstrap: do it once, lazily, per instance.
// Migrations are not run here; they run at build/release time (see README "Deploy to Vercel").
import { tuneConnection } from './db/index.ts';
import { bootstrap } from './services/bootstrap.ts';

const KEY = Symbol.for('sigil.ready');

export function ready(): Promise<void> {
  const g = globalThis as { [KEY]?: Promise<void> };
  g[KEY] ??= (async () => {
    await tuneConnection();
    await bootstrap();
  })().catch((error) => {
    delete g[KEY];
    throw error;
  });
  return g[KEY];
}

/** The lean front bootstraps before listening; Next route handlers in the same process need not again. */
export function markReady(): void {
  (globalThis as { [KEY]?: Promise<void> })[KEY] = Promise.resolve();
}
