// Driver adapters for the schema engine (better-sqlite3, pg), patched where the engine expects what the
// native engine does (multi-statement scripts, PostgreSQL's "char" type, a real shadow database), and
// tracked so that every connection the engine opened is disposed afterwards.
import { randomUUID } from 'node:crypto';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import { pgConnectionString, pgSchemaOf, sqliteFilePath, type Provider } from '../migrations/paths.ts';

/** A migration-aware adapter factory that remembers every connection, to dispose them afterwards. */
export interface TrackingFactory extends SqlMigrationAwareDriverAdapterFactory {
  disposeAll(): Promise<void>;
}

function tracking(
  inner: SqlMigrationAwareDriverAdapterFactory,
  patch: (a: SqlDriverAdapter) => SqlDriverAdapter,
  shadow?: () => Promise<SqlDriverAdapter>,
): TrackingFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (a: SqlDriverAdapter): SqlDriverAdapter => {
    const patched = patch(a);
    const dispose = patched.dispose.bind(patched);
    let disposed = false;
    patched.dispose = async () => {
      if (disposed) return;
      disposed = true;
      open.delete(patched);
      await dispose();
    };
    open.add(patched);
    return patched;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await (shadow ?? (() => inner.connectToShadowDb()))()),
    async disposeAll() {
      for (const a of [...open]) await a.dispose().catch(() => undefined);
    },
  };
}

/**
 * better-sqlite3 prepares one statement at a time; the engine replays whole migration files on the
 * shadow database through `executeRaw` without arguments. Run those as a script.
 */
function patchSqlite(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (e) {
      if (query.args.length === 0 && e instanceof RangeError && /more than one statement/i.test(e.message)) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw e;
    }
  };
  return adapter;
}

async function sqliteFactory(databaseUrl: string): Promise<TrackingFactory> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const file = sqliteFilePath(databaseUrl);
  // Rows in _prisma_migrations hold unix-epoch milliseconds, as the native engine writes them.
  const inner = new PrismaBetterSqlite3({ url: file, timeout: 30_000 }, { timestampFormat: 'unixepoch-ms' });
  return tracking(inner, patchSqlite);
}

let charAsTextClient: typeof pg.Client | undefined;

/**
 * A pg Client that reports PostgreSQL's internal `"char"` type (OID 18, used by pg_catalog columns
 * the engine reads, e.g. pg_constraint.contype) as text: adapter-pg cannot map OID 18.
 */
function charAsTextClientClass(pgMod: typeof pg): typeof pg.Client {
  if (charAsTextClient) return charAsTextClient;
  const fix = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      const fields = (r as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
      if (fields) for (const f of fields) if (f.dataTypeID === 18) f.dataTypeID = 25;
    }
    return res;
  };
  class CharAsTextClient extends pgMod.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const cb = args[last] as (err: unknown, res: unknown) => void;
        args[last] = (err: unknown, res: unknown) => cb(err, err ? res : fix(res));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return (super.query as any)(...args);
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ret = (super.query as any)(...args);
      return ret && typeof ret.then === 'function' ? ret.then(fix) : ret;
    }
  }
  charAsTextClient = CharAsTextClient as unknown as typeof pg.Client;
  return charAsTextClient;
}

/**
 * adapter-pg's `executeScript` splits on ";" and sends the pieces one by one (possibly on different
 * pool connections). Send the script as one simple-protocol query instead, like the native engine:
 * PostgreSQL then runs it as one implicit transaction.
 */
function patchPg(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const pool = (adapter as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (e) {
      // Let the adapter convert the error into a DriverAdapterError the engine understands.
      (adapter as unknown as { onError(e: unknown): never }).onError(e);
    }
  };
  return adapter;
}

async function pgFactory(databaseUrl: string): Promise<TrackingFactory> {
  const pgMod = (await import('pg')).default;
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const schema = pgSchemaOf(databaseUrl);
  const Client = charAsTextClientClass(pgMod);
  const make = (connectionString: string) =>
    new PrismaPg(
      new pgMod.Pool({
        connectionString,
        Client,
        max: 4,
        // Prisma's `?schema=`: unqualified names in migrations resolve to it, as with the native engine.
        ...(schema === 'public' ? {} : { options: `-c search_path="${schema.replace(/"/g, '""')}"` }),
      }),
      {
        schema: schema === 'public' ? undefined : schema,
        disposeExternalPool: true,
      },
    );
  const inner = make(pgConnectionString(databaseUrl));
  // adapter-pg's own connectToShadowDb spreads `{ connectionString, database }` and the connection
  // string wins, so the "shadow" database would be the main one. Create a uniquely named database
  // ourselves, point a connection string at it, and drop it when the engine disposes the adapter.
  const shadow = async (): Promise<SqlDriverAdapter> => {
    const name = `sigil_shadow_${randomUUID().replace(/-/g, '')}`;
    const admin = new pgMod.Client({ connectionString: pgConnectionString(databaseUrl) });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const adapter = await make(pgConnectionString(databaseUrl, name)).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pgMod.Client({ connectionString: pgConnectionString(databaseUrl) });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    };
    return adapter;
  };
  return tracking(inner, patchPg, shadow);
}

export function factoryFor(provider: Provider, databaseUrl: string): Promise<TrackingFactory> {
  return provider === 'sqlite' ? sqliteFactory(databaseUrl) : pgFactory(databaseUrl);
}
