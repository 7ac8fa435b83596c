// Direct database access for audit tests: insert many log rows (or old ones) without going through the
// API, on SQLite (better-sqlite3, WAL, beside the running server) or PostgreSQL (pg).
import { readFileSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';

export type LogRow = { id: string; key: string; result: string; applicationId?: string | null; userId?: string | null; payload: object; createdAt: number };
export type DeliveryRow = { id: string; hookId: string; eventId: string; event: string; status: string; createdAt: number; updatedAt: number };

async function withDb<T>(databaseUrl: string, sqlite: (d: Database.Database) => T, postgres: (c: pg.Client) => Promise<T>): Promise<T> {
  if (databaseUrl.startsWith('file:')) {
    const d = new Database(databaseUrl.slice('file:'.length));
    d.pragma('busy_timeout = 10000');
    try {
      return sqlite(d);
    } finally {
      d.close();
    }
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return await postgres(c);
  } finally {
    await c.end();
  }
}

export async function insertLogs(databaseUrl: string, rows: LogRow[]): Promise<void> {
  await withDb(
    databaseUrl,
    (d) => {
      const stmt = d.prepare('INSERT INTO "AuditLog" ("id","key","result","applicationId","userId","payload","createdAt") VALUES (?,?,?,?,?,?,?)');
      d.transaction(() => {
        for (const r of rows) stmt.run(r.id, r.key, r.result, r.applicationId ?? null, r.userId ?? null, JSON.stringify(r.payload), r.createdAt);
      })();
    },
    async (c) => {
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        const params: unknown[] = [];
        const tuples = chunk.map((r) => {
          params.push(r.id, r.key, r.result, r.applicationId ?? null, r.userId ?? null, JSON.stringify(r.payload), new Date(r.createdAt).toISOString());
          const n = params.length;
          return `($${n - 6},$${n - 5},$${n - 4},$${n - 3},$${n - 2},$${n - 1}::jsonb,$${n}::timestamptz AT TIME ZONE 'UTC')`;
        });
        await c.query(`INSERT INTO "AuditLog" ("id","key","result","applicationId","userId","payload","createdAt") VALUES ${tuples.join(',')}`, params);
      }
    },
  );
}

export async function insertDeliveries(databaseUrl: string, rows: DeliveryRow[]): Promise<void> {
  await withDb(
    databaseUrl,
    (d) => {
      const stmt = d.prepare('INSERT INTO "HookDelivery" ("id","hookId","eventId","event","payload","status","attempts","nextAttemptAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,1,?,?,?)');
      for (const r of rows) stmt.run(r.id, r.hookId, r.eventId, r.event, '{}', r.status, r.createdAt, r.createdAt, r.updatedAt);
    },
    async (c) => {
      for (const r of rows) {
        await c.query(
          `INSERT INTO "HookDelivery" ("id","hookId","eventId","event","payload","status","attempts","nextAttemptAt","createdAt","updatedAt") VALUES ($1,$2,$3,$4,'{}',$5,1,$6::timestamptz AT TIME ZONE 'UTC',$6::timestamptz AT TIME ZONE 'UTC',$7::timestamptz AT TIME ZONE 'UTC')`,
          [r.id, r.hookId, r.eventId, r.event, r.status, new Date(r.createdAt).toISOString(), new Date(r.updatedAt).toISOString()],
        );
      }
    },
  );
}

export async function countRows(databaseUrl: string, table: 'AuditLog' | 'HookDelivery', where = '1=1'): Promise<number> {
  return withDb(
    databaseUrl,
    (d) => Number((d.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get() as { n: number }).n),
    async (c) => Number((await c.query(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`)).rows[0].n),
  );
}

/** Resident set size (bytes) of the server process that uses `dataDir` (found through /proc). */
export function serverRss(dataDir: string): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!environ.split('\0').includes(`SIGIL_DATA_DIR=${dataDir}`) || !/node/.test(cmdline)) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    } catch {
      // processes come and go
    }
  }
  throw new Error(`no server process for ${dataDir}`);
}
