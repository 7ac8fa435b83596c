// The one logger: structured JSON lines (pino) at SIGIL_LOG_LEVEL. Errors go under `err` so pino's
// serializer keeps their message and stack in the record, never in a response.
import pino, { type Logger } from 'pino';
import { env } from './env.ts';

let root: Logger | undefined;

function logger(): Logger {
  if (!root) {
    let level: string = 'info';
    try {
      level = env().logLevel;
    } catch {
      // Configuration is invalid: the caller is about to report that, at the default level.
    }
    root = pino({ level, base: { service: 'sigil', pid: process.pid } });
  }
  return root;
}

type LogFn = { (msg: string): void; (fields: Record<string, unknown>, msg: string): void };
const at = (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
  ((a: string | Record<string, unknown>, b?: string) => (typeof a === 'string' ? logger()[level](a) : logger()[level](a, b))) as LogFn;

export const log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
