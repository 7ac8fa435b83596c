// The token endpoint's per-request statements on SQLite without Prisma: on the self-hosted server a Prisma
// query measured ~200-500 µs of CPU here (query building and result mapping), a prepared statement on the
// raw connection (sqlite-inline-writer.ts) ~10-20 µs, and a user's token request made up to a dozen of them.
// Services keep their Prisma query beside each statement: it serves PostgreSQL and the Next-only process.
// Rows come back as SQLite stores what Prisma wrote (DateTime as unix milliseconds, Json as text, Boolean
// as 0/1); the helpers below turn them back into what Prisma would have returned.
import { sqliteInlineConnection, sqliteValue, type Row } from './bulk-insert.ts';
import type { SqliteInlineWriter, SqliteValue } from './sqlite-inline-writer.ts';

export type HotSqlite = Pick<SqliteInlineWriter, 'get' | 'all' | 'runIfOne'>;

/** The raw connection when this process has one (self-hosted on SQLite); otherwise callers use Prisma. */
export function hotSqlite(): HotSqlite | undefined {
  return sqliteInlineConnection();
}

/** A parameter as Prisma would store it (Date -> ms, boolean -> 0/1, object -> JSON text). */
export const param = (v: Row[string]): SqliteValue => sqliteValue(v);

/** A DateTime column: unix ms as Prisma writes it; text (SQLite's CURRENT_TIMESTAMP, ISO) read as UTC. */
export function dateOf(v: unknown): Date {
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  const text = String(v);
  if (/^\d+$/.test(text)) return new Date(Number(text));
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

export const optionalDateOf = (v: unknown): Date | null => (v === null || v === undefined ? null : dateOf(v));

/** A Json column (text in SQLite); null stays null. */
export const jsonOf = (v: unknown): unknown => (v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : v);

export const boolOf = (v: unknown): boolean => v === 1 || v === true || v === 1n || v === '1' || v === 'true';

/** An INSERT of one row whose keys are column names, values stored as Prisma stores them. */
export function insertStatement(table: string, row: Row): { sql: string; params: SqliteValue[] } {
  const columns = Object.keys(row);
  return {
    sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    params: columns.map((c) => param(row[c] ?? null)),
  };
}
