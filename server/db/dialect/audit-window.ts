// A recent window of one family of audit keys (`ExchangeTokenBy.*` since a time), written so each database
// reads only the window and not every such row the audit log keeps (SIGIL_AUDIT_RETENTION_DAYS, 90 by default).
import { db } from '../index.ts';
import { keyPrefix, successor } from './raw-sql.ts';
import { variant } from './variant.ts';

/** A WHERE condition over "AuditLog" with `?` placeholders (pass it through `placeholders`). */
export type Condition = { where: string; args: unknown[] };

/**
 * SQLite: the distinct keys, by seeking the (key, createdAt) index once per key (a manual skip scan), so
 * that the condition can then seek `key = K AND createdAt >= since` per key.
 */
async function distinctKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let after = prefix;
  for (;;) {
    const rows = await db().$queryRawUnsafe<Array<{ key: string }>>(
      `SELECT "key" FROM "AuditLog" WHERE "key" > ? AND "key" < ? ORDER BY "key" LIMIT 1`, after, successor(prefix),
    );
    if (!rows[0]) return keys;
    keys.push(rows[0].key);
    after = rows[0].key;
  }
}

/**
 * Audit rows whose key starts with `prefix` (letters, digits, dots), created at or after `since`; null when
 * no row can match. PostgreSQL: a LIKE prefix under a locale collation cannot bound the key index, so this
 * is a range scan of the createdAt index over the window only.
 */
export async function auditLogSince(prefix: string, since: Date): Promise<Condition | null> {
  return variant<() => Promise<Condition | null>>({
    sqlite: async () => {
      const keys = await distinctKeys(prefix);
      if (keys.length === 0) return null;
      // SQLite stores DateTime as epoch milliseconds here.
      return { where: `"key" IN (${keys.map(() => '?').join(', ')}) AND "createdAt" >= ?`, args: [...keys, since.getTime()] };
    },
    postgresql: async () => ({ where: `"createdAt" >= ? AND ${keyPrefix('"key"', prefix)}`, args: [since] }),
  })();
}
