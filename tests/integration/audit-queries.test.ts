// The audit queries that are raw SQL (JSON fields and time buckets differ between SQLite and PostgreSQL),
// run in this process against a fresh database of the provider under test: the histogram (hour and
// local-day buckets, filters, a hook's attempts), a hook's 24 h stats and recent logs, the dashboard's
// token requests, retention.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers/sigil.ts';
import { insertLogs, type LogRow } from './audit-db.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const thisHour = Math.floor(now / HOUR) * HOUR;

let dir: string;
let drop: () => Promise<void>;
let logs: typeof import('../../server/services/logs.ts');
let retention: typeof import('../../server/services/audit/retention.ts');
let dashboard: typeof import('../../server/services/dashboard.ts');
let disconnect: () => Promise<void>;

const row = (id: string, key: string, result: 'Success' | 'Error', createdAt: number, extra: Record<string, unknown> = {}): LogRow => ({
  id, key, result, createdAt, applicationId: (extra.applicationId as string) ?? null, payload: { key, result, ...extra },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-audit-queries-'));
  const database = await freshDatabase(dir);
  drop = database.drop;
  Object.assign(process.env, { DATABASE_URL: database.url, SIGIL_SECRET: 'test-secret-0123456789-0123456789-0123456789', SIGIL_DATA_DIR: dir, SIGIL_LOG_LEVEL: 'silent' });
  const { resetEnv } = await import('../../server/env.ts');
  resetEnv();
  await (await import('../../server/db/migrate.ts')).migrateDeploy(database.url);
  logs = await import('../../server/services/logs.ts');
  retention = await import('../../server/services/audit/retention.ts');
  dashboard = await import('../../server/services/dashboard.ts');
  disconnect = (await import('../../server/db/index.ts')).disconnect;
  await insertLogs(database.url, [
    // Hook h1: two successes and an error in the last 24 h, one success two days ago.
    row('t1', 'TriggerHook.Role.Created', 'Success', thisHour - 2 * HOUR + 60_000, { hookId: 'h1' }),
    row('t2', 'TriggerHook.Role.Created', 'Error', thisHour - 2 * HOUR + 120_000, { hookId: 'h1' }),
    row('t3', 'TriggerHook.Role.Deleted', 'Success', thisHour - HOUR + 1, { hookId: 'h1' }),
    row('t4', 'TriggerHook.Role.Created', 'Success', now - 2 * DAY, { hookId: 'h1' }),
    // Hook h2: one error.
    row('t5', 'TriggerHook.Scope.Created', 'Error', thisHour - 3 * HOUR, { hookId: 'h2' }),
    // Not deliveries (a hookId in another key must not count).
    row('x1', 'Hook.Tested', 'Error', thisHour - HOUR + 2, { hookId: 'h1' }),
    row('x2', 'ExchangeTokenBy.ClientCredentials', 'Success', thisHour - 2 * HOUR + 3, { applicationId: 'app-1' }),
    row('x3', 'ExchangeTokenBy.ClientCredentials', 'Error', thisHour - 2 * HOUR + 4, { applicationId: 'app-1' }),
    row('x4', 'ExchangeTokenBy.AuthorizationCode', 'Success', thisHour - 5 * HOUR + 5),
    // Shares the token keys' prefix but not their dot: not a token request.
    row('x5', 'ExchangeTokenByX', 'Success', thisHour - 5 * HOUR + 6),
    row('old', 'Role.Created', 'Success', now - 40 * DAY),
  ]);
});
afterAll(async () => {
  await disconnect?.();
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe(`audit queries (${process.env.SIGIL_TEST_POSTGRES_URL ? 'postgresql' : 'sqlite'})`, () => {
  it('counts events per hour by result, with filters', async () => {
    const all = await logs.logHistogram({ start_time: thisHour - 3 * HOUR, end_time: thisHour + HOUR }, HOUR);
    expect(all).toEqual([
      { start: thisHour - 3 * HOUR, success: 0, error: 1 },
      { start: thisHour - 2 * HOUR, success: 2, error: 2 },
      { start: thisHour - HOUR, success: 1, error: 1 },
    ]);
    expect(await logs.logHistogram({ start_time: thisHour - 3 * HOUR, end_time: thisHour + HOUR, logKey: 'ExchangeTokenBy.*' }, HOUR))
      .toEqual([{ start: thisHour - 2 * HOUR, success: 1, error: 1 }]);
    expect(await logs.logHistogram({ start_time: thisHour - 3 * HOUR, end_time: thisHour + HOUR, applicationId: 'app-1', result: 'Error' }, HOUR))
      .toEqual([{ start: thisHour - 2 * HOUR, success: 0, error: 1 }]);
    expect(await logs.logHistogram({ start_time: thisHour - 3 * HOUR, end_time: thisHour + HOUR, logKey: 'Hook.Tested' }, HOUR))
      .toEqual([{ start: thisHour - HOUR, success: 0, error: 1 }]);
  });

  it("counts a hook's delivery attempts only", async () => {
    expect(await logs.logHistogram({ hookId: 'h1', start_time: now - 3 * DAY, end_time: thisHour + HOUR }, HOUR)).toEqual([
      { start: Math.floor((now - 2 * DAY) / HOUR) * HOUR, success: 1, error: 0 },
      { start: thisHour - 2 * HOUR, success: 1, error: 1 },
      { start: thisHour - HOUR, success: 1, error: 0 },
    ]);
  });

  it("aligns day buckets to the operator's time zone", async () => {
    const offset = 9 * HOUR; // UTC+9
    const localDay = Math.floor((now + offset) / DAY) * DAY - offset;
    const days = await logs.logHistogram({ hookId: 'h1', start_time: localDay - 3 * DAY, end_time: localDay + DAY }, DAY, offset);
    for (const d of days) expect((d.start + offset) % DAY).toBe(0);
    expect(days.reduce((n, d) => n + d.success + d.error, 0)).toBe(4);
  });

  it("answers Logto's execution stats and recent logs from the last 24 hours", async () => {
    const stats = await logs.hookExecutionStats(['h1', 'h2', 'h3']);
    expect(Object.fromEntries(stats)).toEqual({
      h1: { requestCount: 3, successCount: 2 },
      h2: { requestCount: 1, successCount: 0 },
      h3: { requestCount: 0, successCount: 0 },
    });
    const recent = await logs.recentHookLogs('h1', {}, { page: 1, page_size: 2 });
    expect(recent.total).toBe(3);
    expect(recent.items.map((l) => l.id)).toEqual(['t3', 't2']);
    const page2 = await logs.recentHookLogs('h1', {}, { page: 2, page_size: 2 });
    expect(page2.items.map((l) => l.id)).toEqual(['t1']);
    const created = await logs.recentHookLogs('h1', { logKey: 'TriggerHook.Role.Created' }, { page: 1, page_size: 20 });
    expect(created.items.map((l) => l.id)).toEqual(['t2', 't1']);
  });

  it("counts the dashboard's token requests by hour and by the operator's local day", async () => {
    const hours = await dashboard.tokenRequestStats('24h', 0, now);
    expect(hours).toHaveLength(24);
    expect(hours[23]!.start).toBe(thisHour);
    expect(hours.filter((b) => b.success + b.error > 0)).toEqual([
      { start: thisHour - 5 * HOUR, success: 1, error: 0 },
      { start: thisHour - 2 * HOUR, success: 1, error: 1 },
    ]);
    const offset = 9 * HOUR; // UTC+9
    const days = await dashboard.tokenRequestStats('7d', 9 * 60, now);
    expect(days).toHaveLength(7);
    for (const d of days) expect((d.start + offset) % DAY).toBe(0);
    expect(days.reduce((n, d) => n + d.success + d.error, 0)).toBe(3);
    expect(days.reduce((n, d) => n + d.error, 0)).toBe(1);
  });

  it('lists with a key prefix and prunes past retention', async () => {
    const hooks = await logs.listLogs({ logKey: 'TriggerHook.*' }, { page: 1, page_size: 100 });
    expect(hooks.total).toBe(5);
    expect(await retention.pruneExpired({ retentionDays: 30 })).toMatchObject({ auditLogs: 1, deliveries: 0 });
    expect((await logs.listLogs({ logKey: 'Role.Created' }, { page: 1, page_size: 100 })).total).toBe(0);
    expect(await retention.pruneExpired({ retentionDays: 1 })).toMatchObject({ auditLogs: 1 });
    await expect(logs.getLog('t4')).rejects.toThrow('does not exist');
  });
});
