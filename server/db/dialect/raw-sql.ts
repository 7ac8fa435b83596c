// Pieces of hand-written SQL (the audit log's queries) whose syntax differs. Callers write `?` placeholders
// for values; these pieces inline only identifiers and constants, checked here so no value can slip in.
import { variant } from './variant.ts';

/** `text` with its `?` placeholders as this database wants them (PostgreSQL numbers them: `$1`, `$2`, ...). */
export function placeholders(text: string): string {
  return variant({
    sqlite: () => text,
    postgresql: () => {
      let n = 0;
      return text.replace(/\?/g, () => `$${++n}`);
    },
  })();
}

const safe = (what: string, value: string, pattern: RegExp) => {
  if (!pattern.test(value)) throw new Error(`${what} must match ${pattern}: ${value}`);
  return value;
};

/** The text at top-level `key` of the JSON column `column` (a quoted identifier such as `"payload"`). */
export function jsonText(column: string, key: string): string {
  safe('JSON key', key, /^\w+$/);
  return variant({ sqlite: `json_extract(${column}, '$.${key}')`, postgresql: `(${column}->>'${key}')` });
}

/**
 * `column` starts with the constant `prefix` (letters, digits, dots). SQLite: a range (binary collation),
 * so an index on the column serves it; its LIKE would not. PostgreSQL: LIKE, since under a locale collation
 * a range over punctuation is not a prefix (callers bound the scan some other way, e.g. by time).
 */
export function keyPrefix(column: string, prefix: string): string {
  safe('key prefix', prefix, /^[A-Za-z0-9.]+$/);
  return variant({ sqlite: `${column} >= '${prefix}' AND ${column} < '${successor(prefix)}'`, postgresql: `${column} LIKE '${prefix}%'` });
}

/** The first string after every string that starts with `prefix` (`TriggerHook.` → `TriggerHook/`). */
export function successor(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * The start (epoch milliseconds) of the `bucketMs`-wide bucket holding the timestamp `column`, buckets
 * shifted by `offsetMs` (an operator's local days). SQLite stores DateTime as epoch milliseconds (the
 * adapter's `unixepoch-ms` format), so integer division buckets it; PostgreSQL has a timestamp.
 */
export function timeBucket(column: string, bucketMs: number, offsetMs = 0): string {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0 || !Number.isSafeInteger(offsetMs)) throw new Error('time buckets are whole milliseconds');
  const [b, off] = [bucketMs, offsetMs];
  return variant({
    sqlite: `(((${column} + ${off}) / ${b}) * ${b} - ${off})`,
    postgresql: `(floor((extract(epoch from ${column}) * 1000 + ${off}) / ${b}) * ${b} - ${off})::bigint`,
  });
}
