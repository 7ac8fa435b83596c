// Every Prisma transaction on SQLite begins as a writer (BEGIN IMMEDIATE, not the adapter's plain BEGIN).
// Two processes write one database file (the protocol process's audit writer, the console's changes, or
// several instances). A deferred transaction that reads first cannot become a writer once another
// connection has committed since its read: SQLite answers SQLITE_BUSY_SNAPSHOT at once, without the busy
// timeout, and Prisma reports it as "Operation has timed out" (a 500 in the console under load). A
// transaction that takes the write lock first waits its turn instead (busy timeout), and its reads see the
// latest commit. Read-only work does not use interactive transactions here, so nothing is serialised
// that was not already: SQLite has one writer at a time.
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

type SqliteHandle = { prepare(sql: string): unknown };

export function immediateTransactions<T extends SqlDriverAdapterFactory>(factory: T): T {
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    connect: async () => {
      const adapter = await connect();
      const client = (adapter as unknown as { client?: SqliteHandle }).client;
      if (client && typeof client.prepare === 'function') {
        const prepare = client.prepare.bind(client);
        // The adapter's startTransaction runs exactly `BEGIN` on this handle (@prisma/adapter-better-sqlite3).
        client.prepare = (sql: string) => prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
      }
      return adapter;
    },
  });
}
