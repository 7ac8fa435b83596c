// Two signals raised after a commit. "Configuration changed": another process on this machine (the console
// process and its parent) may drop its cache at once instead of waiting out SIGIL_CACHE_TTL_MS.
// "Outbox rows were committed": the one signal between the events that write outbox rows and whatever
// delivers them. Services raise it after a commit that wrote rows; entry layers subscribe (the self-hosted
// protocol process nudges its dispatcher; a Next.js function on Vercel schedules a delivery pass with
// `after()`). No service imports a delivery mechanism or a framework.
import type { Tx } from '../../db/index.ts';
import { log } from '../../log.ts';

type Listener = () => void;

/** A set of listeners raised together; one that throws is logged and does not stop the others. */
function signal(name: string): { on(listener: Listener): () => void; raise(): void } {
  const listeners = new Set<Listener>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    raise() {
      for (const listener of listeners) {
        try {
          listener();
        } catch (error) {
          log.warn({ err: error }, `${name} listener failed`);
        }
      }
    },
  };
}

const outbox = signal('outbox');
const config = signal('config');
/** Transactions that wrote outbox rows; read by the transaction helpers once they commit. */
const wroteOutbox = new WeakSet<object>();

export const onOutboxCommitted = (listener: Listener): (() => void) => outbox.on(listener);

export const outboxCommitted = (): void => outbox.raise();

/** Called inside a transaction that wrote outbox rows. */
export function noteOutboxRows(tx: Tx): void {
  wroteOutbox.add(tx);
}

/** Whether `tx` wrote outbox rows (ask before it commits, signal after). */
export function wroteOutboxRows(tx: Tx): boolean {
  return wroteOutbox.has(tx);
}

export const onConfigCommitted = (listener: Listener): (() => void) => config.on(listener);

/** Raised by the transaction helper once a configuration change committed. */
export const configCommitted = (): void => config.raise();
