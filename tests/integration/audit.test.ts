// The audit log: Logto's /api/logs (filters, pagination headers, entry shape), management changes with
// actor and before/after and secrets masked, the streamed export over a large log, retention and the
// cron route that runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_ID, managementClient, setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { countRows, insertDeliveries, insertLogs, serverRss } from './audit-db.ts';

const CRON_SECRET = 'cron-secret-for-tests-0123456789';
const DAY = 86_400_000;
const HEAP_MB = 192;

describe('audit log (lean)', () => {
  let sigil: Sigil;
  let api: Awaited<ReturnType<typeof managementClient>>;

  beforeAll(async () => {
    // A small heap: an export that held the whole log in memory would not fit (see the export test).
    sigil = await startSigil({ env: { CRON_SECRET, SIGIL_AUDIT_RETENTION_DAYS: '30', NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` } });
    api = await managementClient(sigil);
  });
  afterAll(async () => sigil?.stop());

  it('records token requests with Logto keys and payloads', async () => {
    const m2m = await setupM2M(sigil);
    const ok = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
    expect(ok.status).toBe(200);
    const bad = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: 'https://nope.example' }, m2m.app);
    expect(bad.status).toBe(400);

    const res = await api.get(`/api/logs?applicationId=${m2m.app.id}&logKey=ExchangeTokenBy.ClientCredentials`);
    expect(res.status).toBe(200);
    expect(res.headers.get('total-number')).toBe('2');
    expect(res.body.map((l: any) => Object.keys(l).sort())).toEqual([['createdAt', 'id', 'key', 'payload'], ['createdAt', 'id', 'key', 'payload']]);
    // Newest first.
    expect(res.body[0].payload).toMatchObject({ key: 'ExchangeTokenBy.ClientCredentials', result: 'Error', applicationId: m2m.app.id, error: { code: 'invalid_target' }, userAgent: 'node' });
    expect(res.body[1].payload).toMatchObject({ key: 'ExchangeTokenBy.ClientCredentials', result: 'Success', applicationId: m2m.app.id, resource: m2m.indicator, scope: 'read:products', ip: expect.any(String) });
    expect(res.body[0].createdAt).toBeGreaterThanOrEqual(res.body[1].createdAt);
    expect(JSON.stringify(res.body)).not.toContain(m2m.app.secret);

    const errors = await api.get(`/api/logs?applicationId=${m2m.app.id}&result=Error`);
    expect(errors.body).toHaveLength(1);
    const one = await api.get(`/api/logs/${res.body[1].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(res.body[1]);
    expect((await api.get('/api/logs/nope')).status).toBe(404);
  });

  it('records every management change with actor, entity, before/after, request, secrets masked', async () => {
    const app = await api.post('/api/applications', { name: 'Audited app', type: 'MachineToMachine' });
    expect(app.status).toBe(200);
    await api.patch(`/api/applications/${app.body.id}`, { name: 'Renamed app' });
    const secret = await api.post(`/api/applications/${app.body.id}/secrets`, { name: 'second' });
    expect(secret.status).toBe(201);

    const created = (await api.get(`/api/logs?logKey=Application.Created&applicationId=${app.body.id}`)).body;
    expect(created).toHaveLength(1);
    expect(created[0].payload).toMatchObject({
      key: 'Application.Created', result: 'Success', actor: { type: 'application', id: BOOTSTRAP_ID }, entity: 'Application', entityId: app.body.id,
      after: { id: app.body.id, name: 'Audited app', type: 'MachineToMachine' }, applicationId: app.body.id, path: '/api/applications', method: 'POST', userAgent: 'node',
    });
    const updated = (await api.get(`/api/logs?logKey=Application.Data.Updated&applicationId=${app.body.id}`)).body;
    expect(updated[0].payload).toMatchObject({ before: { name: 'Audited app' }, after: { name: 'Renamed app' }, method: 'PATCH', path: `/api/applications/${app.body.id}` });
    // Neither secret value appears anywhere in the log.
    const everything = await api.get(`/api/logs?applicationId=${app.body.id}&page_size=100`);
    expect(everything.body.map((l: any) => l.key)).toEqual(expect.arrayContaining(['Application.Created', 'Application.Data.Updated', 'Application.Secret.Created']));
    expect(JSON.stringify(everything.body)).not.toContain(app.body.secret);
    expect(JSON.stringify(everything.body)).not.toContain(secret.body.value);
    // A prefix filter.
    const prefix = await api.get(`/api/logs?logKey=Application.*&applicationId=${app.body.id}`);
    expect(prefix.body.every((l: any) => l.key.startsWith('Application.'))).toBe(true);
    expect(prefix.body.length).toBe(everything.body.filter((l: any) => l.key.startsWith('Application.')).length);
  });

  it('filters by time and pages with Total-Number and Link as Logto', async () => {
    const base = Date.now() - 10 * DAY;
    await insertLogs(sigil.databaseUrl, Array.from({ length: 45 }, (_, i) => ({
      id: `time-${String(i).padStart(3, '0')}`, key: 'Test.Timed', result: i % 3 === 0 ? 'Error' : 'Success', userId: 'user-timed',
      payload: { key: 'Test.Timed', result: i % 3 === 0 ? 'Error' : 'Success', userId: 'user-timed', i }, createdAt: base + i * 60_000,
    })));
    const all = await api.get('/api/logs?userId=user-timed');
    expect(all.headers.get('total-number')).toBe('45');
    expect(all.body).toHaveLength(20);
    expect(all.body[0].id).toBe('time-044');
    const page3 = await api.get('/api/logs?userId=user-timed&page=3');
    expect(page3.body.map((l: any) => l.id)).toEqual(['time-004', 'time-003', 'time-002', 'time-001', 'time-000']);
    const link = page3.headers.get('link')!;
    expect(link).toContain(`<${sigil.url}/api/logs?userId=user-timed&page=1>; rel="first"`);
    expect(link).toContain('rel="prev"');
    expect(link).not.toContain('rel="next"');

    // start_time inclusive, end_time exclusive (epoch ms).
    const window = await api.get(`/api/logs?userId=user-timed&start_time=${base + 10 * 60_000}&end_time=${base + 20 * 60_000}&page_size=100`);
    expect(window.body.map((l: any) => l.payload.i)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);

    for (const [query, field, code] of [['page_size=101', 'page_size', 'guard.invalid_pagination'], ['start_time=yesterday', 'start_time', 'guard.invalid_input'], ['result=Maybe', 'result', 'guard.invalid_input']] as const) {
      const res = await api.get(`/api/logs?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ code, field });
    }
  });

  it('needs read:logs (and read:hooks / write:hooks for webhooks)', async () => {
    const scopes = (await api.get('/api/resources/management-api/scopes?page_size=100')).body as Array<{ id: string; name: string }>;
    const pick = (name: string) => scopes.find((s) => s.name === name)!.id;
    const role = await api.post('/api/roles', { name: 'event-reader', description: 'reads logs and hooks', type: 'MachineToMachine', scopeIds: [pick('read:logs'), pick('read:hooks')] });
    const app = await api.post('/api/applications', { name: 'Event reader', type: 'MachineToMachine' });
    await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] });
    const reader = await managementClient(sigil, 'read:logs read:hooks', { id: app.body.id, secret: app.body.secret });
    expect((await reader.get('/api/logs')).status).toBe(200);
    expect((await fetch(`${sigil.url}/api/logs/export?format=csv`, { headers: { authorization: `Bearer ${reader.accessToken}` } })).status).toBe(200);
    expect((await reader.get('/api/hooks')).status).toBe(200);
    const create = await reader.post('/api/hooks', { name: 'x', events: ['Role.Created'], config: { url: 'https://hooks.example.com' } });
    expect(create.status).toBe(403);
    expect(create.body).toEqual({ code: 'auth.forbidden', message: 'The access token lacks the `write:hooks` scope.' });
    const hooksOnly = await managementClient(sigil, 'read:hooks', { id: app.body.id, secret: app.body.secret });
    expect((await hooksOnly.get('/api/logs')).status).toBe(403);
    expect((await fetch(`${sigil.url}/api/logs`)).status).toBe(401);
  });

  it('streams a 50,000-row export page by page with bounded memory', async () => {
    const ROWS = 50_000;
    const start = Date.now() - 5 * DAY;
    const filler = 'x'.repeat(3000);
    for (let i = 0; i < ROWS; i += 10_000) {
      await insertLogs(sigil.databaseUrl, Array.from({ length: 10_000 }, (_, j) => ({
        id: `bulk-${String(i + j).padStart(6, '0')}`, key: 'Bulk.Event', result: 'Success', applicationId: 'bulk-app',
        payload: { key: 'Bulk.Event', result: 'Success', applicationId: 'bulk-app', n: i + j, filler }, createdAt: start + i + j,
      })));
    }
    const baseline = serverRss(sigil.dataDir);
    let peak = baseline;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, serverRss(sigil.dataDir));
      } catch {
        // the server died (out of memory): the export assertions below fail
      }
    }, 20);
    const t0 = Date.now();
    const res = await fetch(`${sigil.url}/api/logs/export?format=ndjson&applicationId=bulk-app`, { headers: { authorization: `Bearer ${api.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="sigil-audit-.*\.ndjson"$/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let firstChunkAt = 0;
    let chunks = 0;
    let bytes = 0;
    let rest = '';
    let lines = 0;
    let previous = -1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstChunkAt) firstChunkAt = Date.now() - t0;
      chunks++;
      bytes += value.byteLength;
      const text = rest + decoder.decode(value, { stream: true });
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        const entry = JSON.parse(line);
        expect(entry.payload.n).toBe(previous + 1); // oldest first, none missing, none twice
        previous = entry.payload.n;
        lines++;
      }
    }
    const total = Date.now() - t0;
    clearInterval(sampler);
    expect(rest).toBe('');
    expect(lines).toBe(ROWS);
    const growth = peak - baseline;
    console.log(`[export] ${ROWS} rows, ${(bytes / 1e6).toFixed(1)} MB in ${chunks} chunks; first bytes after ${firstChunkAt} ms of ${total} ms; server RSS +${(growth / 1e6).toFixed(1)} MB`);
    expect(firstChunkAt).toBeLessThan(total / 4);
    expect(chunks).toBeGreaterThan(20);
    // The export is ~160 MB: held in memory (as a string plus the parsed rows) it would not even fit in
    // the server's 192 MB heap; streamed, the process grows by a fraction of it (57-85 MB measured, the
    // upper end with other suites running beside it; RSS also counts freed-but-unreturned pages).
    expect(growth).toBeLessThan(bytes * 0.75);
  }, 180_000);

  it('exports CSV with a header, quoting and formula neutralisation', async () => {
    const t = Date.now() - 3 * DAY;
    await insertLogs(sigil.databaseUrl, [
      { id: 'csv-1', key: 'Csv.Event', result: 'Success', userId: 'csv-user', payload: { key: 'Csv.Event', result: 'Success', userId: 'csv-user', userAgent: '=cmd|calc', note: 'a,"b"' }, createdAt: t },
      { id: 'csv-2', key: 'Csv.Event', result: 'Error', userId: 'csv-user', payload: { key: 'Csv.Event', result: 'Error', userId: 'csv-user', ip: '10.0.0.1' }, createdAt: t + 1 },
    ]);
    const res = await fetch(`${sigil.url}/api/logs/export?format=csv&userId=csv-user`, { headers: { authorization: `Bearer ${api.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['id', 'createdAt', 'key', 'result', 'applicationId', 'userId', 'ip', 'userAgent', 'payload']);
    expect(rows.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ['csv-1', new Date(t).toISOString(), 'Csv.Event', 'Success', '', 'csv-user', '', "'=cmd|calc"],
      ['csv-2', new Date(t + 1).toISOString(), 'Csv.Event', 'Error', '', 'csv-user', '10.0.0.1', ''],
    ]);
    expect(JSON.parse(rows[1]![8]!)).toEqual({ key: 'Csv.Event', result: 'Success', userId: 'csv-user', userAgent: '=cmd|calc', note: 'a,"b"' });
    expect(rows).toHaveLength(3);
    expect((await fetch(`${sigil.url}/api/logs/export?format=xml`, { headers: { authorization: `Bearer ${api.accessToken}` } })).status).toBe(400);
  });

  it('prunes records past retention from the cron route, which requires CRON_SECRET', async () => {
    const old = Date.now() - 31 * DAY;
    await insertLogs(sigil.databaseUrl, Array.from({ length: 12_345 }, (_, i) => ({
      id: `old-${i}`, key: 'Old.Event', result: 'Success', payload: { key: 'Old.Event', result: 'Success' }, createdAt: old - i,
    })));
    const hook = await api.post('/api/hooks', { name: 'old', events: ['Role.Created'], config: { url: 'https://hooks.example.com/old' }, enabled: false });
    await insertDeliveries(sigil.databaseUrl, [
      { id: 'd-old-done', hookId: hook.body.id, eventId: 'e1', event: 'Role.Created', status: 'Delivered', createdAt: old, updatedAt: old },
      { id: 'd-old-dead', hookId: hook.body.id, eventId: 'e2', event: 'Role.Created', status: 'Dead', createdAt: old, updatedAt: old },
      { id: 'd-old-pending', hookId: hook.body.id, eventId: 'e3', event: 'Role.Created', status: 'Pending', createdAt: old, updatedAt: old },
    ]);
    const recent = await countRows(sigil.databaseUrl, 'AuditLog', `"key" <> 'Old.Event'`);

    expect((await fetch(`${sigil.url}/api/cron/webhooks`)).status).toBe(401);
    expect((await fetch(`${sigil.url}/api/cron/webhooks`, { headers: { authorization: 'Bearer wrong-secret-0123456789' } })).status).toBe(401);
    const res = await fetch(`${sigil.url}/api/cron/webhooks`, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.retention).toMatchObject({ auditLogs: 12_345, deliveries: 2 });
    expect(await countRows(sigil.databaseUrl, 'AuditLog', `"key" = 'Old.Event'`)).toBe(0);
    expect(await countRows(sigil.databaseUrl, 'AuditLog', `"key" <> 'Old.Event'`)).toBeGreaterThanOrEqual(recent);
    expect(await countRows(sigil.databaseUrl, 'HookDelivery', `"id" LIKE 'd-old-%'`)).toBe(1);
  }, 60_000);
});

/** RFC 4180 (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}
