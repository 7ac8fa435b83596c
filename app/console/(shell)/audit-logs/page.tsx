'use client';
// The audit log: every token request, webhook delivery and management change (who, what, before/after;
// secrets masked). Filters, a chart of events over time by result, pages, a JSON view, and export.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { BarChart } from '../../_components/bar-chart';
import { Dialog } from '../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Field, Loading, PageHeader, Pagination, formatTime, useDebounced } from '../../_components/ui';
import { useTRPC } from '../../_lib/trpc';
import type { RouterOutputs } from '../../_lib/types';

type Entry = RouterOutputs['logs']['list']['items'][number];
type Range = '24h' | '7d' | '30d';

const PAGE_SIZE = 20;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RANGES: Record<Range, { label: string; span: number; bucket: number }> = {
  '24h': { label: '24 hours', span: DAY, bucket: HOUR },
  '7d': { label: '7 days', span: 7 * DAY, bucket: DAY },
  '30d': { label: '30 days', span: 30 * DAY, bucket: DAY },
};
/** Suggestions for the key filter; any key (or prefix ending in *) can be typed. */
const KEY_SUGGESTIONS = ['ExchangeTokenBy.*', 'ExchangeTokenBy.ClientCredentials', 'ExchangeTokenBy.TokenExchange', 'RevokeToken', 'TriggerHook.*', 'Application.*', 'Resource.*', 'Scope.*', 'Role.*', 'User.*', 'Hook.*', 'JwtCustomizer.*', 'SigningKey.*'];

const hourLabel = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/** A few words on what an entry is about, from its payload. */
function summary(p: Record<string, any>): string {
  const parts: string[] = [];
  if (p.actor?.type) parts.push(`by ${p.actor.type === 'administrator' && p.actor.email ? p.actor.email : `${p.actor.type} ${p.actor.id}`}`);
  if (p.entity) parts.push(`${p.entity} ${p.entityId ?? ''}`.trim());
  if (p.error) parts.push(typeof p.error === 'string' ? p.error : [p.error.code, p.error.description].filter(Boolean).join(': '));
  if (p.response?.statusCode) parts.push(`HTTP ${p.response.statusCode}`);
  if (Array.isArray(p.results)) parts.push(p.results.map((r: { statusCode?: number; error?: string }) => (r.statusCode ? `HTTP ${r.statusCode}` : r.error)).join(', '));
  return parts.join(' · ');
}

export default function AuditLogsPage() {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>('24h');
  const [result, setResult] = useState<'Success' | 'Error' | undefined>(undefined);
  const [key, setKey] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const [userId, setUserId] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Entry | null>(null);
  // The window ends at the next bucket boundary, fixed per range choice so paging is stable.
  const timeWindow = useMemo(() => {
    const { span, bucket } = RANGES[range];
    const offset = bucket === DAY ? -new Date().getTimezoneOffset() * 60_000 : 0;
    const end = Math.floor((Date.now() + offset) / bucket) * bucket - offset + bucket;
    return { start: end - span, end };
  }, [range]);
  const filters = {
    logKey: useDebounced(key.trim()) || undefined,
    applicationId: useDebounced(applicationId.trim()) || undefined,
    userId: useDebounced(userId.trim()) || undefined,
    result,
    start_time: timeWindow.start,
    end_time: timeWindow.end,
  };
  const list = useQuery({ ...trpc.logs.list.queryOptions({ ...filters, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const chart = useQuery({
    ...trpc.logs.histogram.queryOptions({ ...filters, bucketMs: RANGES[range].bucket, tzOffsetMinutes: -new Date().getTimezoneOffset() }),
    placeholderData: keepPreviousData,
  });
  const buckets = useMemo(() => {
    const { bucket } = RANGES[range];
    const found = new Map((chart.data ?? []).map((b) => [b.start, b]));
    const out = [];
    for (let s = timeWindow.start; s < timeWindow.end; s += bucket) out.push(found.get(s) ?? { start: s, success: 0, error: 0 });
    return out;
  }, [chart.data, range, timeWindow]);
  const totals = buckets.reduce((t, b) => ({ success: t.success + b.success, error: t.error + b.error }), { success: 0, error: 0 });
  const exportHref = (format: 'ndjson' | 'csv') => {
    const q = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(filters)) if (v !== undefined) q.set(k, String(v));
    return `/console/audit-logs/export?${q}`;
  };
  const reset = () => setPage(1);

  return (
    <>
      <PageHeader
        title="Audit logs"
        description="Token requests, webhook deliveries and every change made through the console or the Management API, with who made it. Secrets are masked."
        actions={
          <>
            <a className="btn btn-secondary" href={exportHref('csv')} download>Export CSV</a>
            <a className="btn btn-secondary" href={exportHref('ndjson')} download>Export NDJSON</a>
          </>
        }
      />
      <Card>
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="Time range">
            {(Object.keys(RANGES) as Range[]).map((r) => (
              <button key={r} type="button" aria-pressed={range === r} onClick={() => (setRange(r), reset())}>{RANGES[r].label}</button>
            ))}
          </div>
          <div className="segmented" role="group" aria-label="Result">
            {([[undefined, 'All'], ['Success', 'Success'], ['Error', 'Error']] as const).map(([value, label]) => (
              <button key={label} type="button" aria-pressed={result === value} onClick={() => (setResult(value), reset())}>{label}</button>
            ))}
          </div>
        </div>
        <div className="form-grid">
          <Field label="Event key" hint="Exact, or a prefix ending in * (e.g. Role.*).">
            {(p) => <input {...p} list="audit-keys" className="mono" value={key} onChange={(e) => (setKey(e.target.value), reset())} placeholder="Any" />}
          </Field>
          <Field label="Application ID">
            {(p) => <input {...p} className="mono" value={applicationId} onChange={(e) => (setApplicationId(e.target.value), reset())} placeholder="Any" />}
          </Field>
          <Field label="User ID">
            {(p) => <input {...p} className="mono" value={userId} onChange={(e) => (setUserId(e.target.value), reset())} placeholder="Any" />}
          </Field>
        </div>
        <datalist id="audit-keys">{KEY_SUGGESTIONS.map((k) => <option key={k} value={k} />)}</datalist>
      </Card>
      <Card title="Events over time" description={chart.data ? `${totals.success.toLocaleString()} succeeded, ${totals.error.toLocaleString()} failed in the last ${RANGES[range].label}` : undefined}>
        {chart.isPending ? <Loading /> : chart.error ? <ErrorNotice error={chart.error} /> : (
          <>
            <BarChart
              buckets={buckets}
              label={range === '24h' ? hourLabel : dayLabel}
              tooltip={range === '24h' ? (ms) => `${dayLabel(ms)} ${hourLabel(ms)}` : dayLabel}
              labelEvery={range === '24h' ? 3 : range === '30d' ? 5 : 1}
              summary={`Audit events per ${range === '24h' ? 'hour' : 'day'}: ${totals.success} succeeded, ${totals.error} failed`}
            />
            <div className="legend">
              <span><i style={{ background: 'var(--accent)' }} />Success</span>
              <span><i style={{ background: 'var(--danger)' }} />Error</span>
            </div>
          </>
        )}
      </Card>
      <Card title="Entries">
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon="list" title="No matching entries">Try a longer time range or fewer filters.</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" aria-label="Audit log entries">
                <thead><tr><th>Time</th><th>Event</th><th>Result</th><th>Details</th><th /></tr></thead>
                <tbody>
                  {list.data.items.map((l) => (
                    <tr key={l.id}>
                      <td className="small">{formatTime(l.createdAt)}</td>
                      <td data-label="Event" className="mono small">{l.key}</td>
                      <td data-label="Result">{l.payload.result === 'Error' ? <Badge tone="danger">Error</Badge> : <Badge tone="success">Success</Badge>}</td>
                      <td data-label="Details" className="small">
                        {summary(l.payload)}
                        {l.payload.applicationId ? <span className="sub mono">app {String(l.payload.applicationId)}</span> : null}
                      </td>
                      <td><Button variant="ghost" onClick={() => setOpen(l)} aria-label={`View ${l.key} entry`}>View</Button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <Dialog open={open !== null} onClose={() => setOpen(null)} wide title={open ? open.key : 'Entry'} footer={<Button onClick={() => setOpen(null)}>Close</Button>}>
        {open ? (
          <div className="stack">
            <dl className="facts">
              <dt>Time</dt><dd>{formatTime(open.createdAt)}</dd>
              <dt>ID</dt><dd className="mono small">{open.id}</dd>
            </dl>
            <pre className="command" aria-label="Entry JSON">{JSON.stringify(open, null, 2)}</pre>
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
