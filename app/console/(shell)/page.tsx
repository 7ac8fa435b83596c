'use client';
// Dashboard: token requests (24 h by hour, 7 days by day; success vs error), entity counts, recent failures.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { BarChart } from '../_components/bar-chart';
import { Icon, type IconName } from '../_components/icons';
import { Badge, Card, EmptyState, ErrorNotice, Loading, PageHeader, formatTime } from '../_components/ui';
import { useTRPC } from '../_lib/trpc';

const hourLabel = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });

export default function DashboardPage() {
  const trpc = useTRPC();
  const [range, setRange] = useState<'24h' | '7d'>('24h');
  const tzOffsetMinutes = -new Date().getTimezoneOffset();
  const tokens = useQuery({ ...trpc.dashboard.tokenRequests.queryOptions({ range, tzOffsetMinutes }), refetchInterval: 30_000, placeholderData: keepPreviousData });
  const counts = useQuery(trpc.dashboard.counts.queryOptions());
  const failures = useQuery({ ...trpc.dashboard.recentFailures.queryOptions(), refetchInterval: 30_000 });
  const buckets = tokens.data;
  // While the other range loads, the previous data stays on screen: label what is shown, not what was asked.
  const shown = buckets?.length === 7 ? '7d' : '24h';
  const totals = (buckets ?? []).reduce((t, b) => ({ success: t.success + b.success, error: t.error + b.error }), { success: 0, error: 0 });

  const stats: Array<{ label: string; value?: number; href: string; icon: IconName }> = [
    { label: 'Applications', value: counts.data?.applications, href: '/console/applications', icon: 'apps' },
    { label: 'API resources', value: counts.data?.resources, href: '/console/resources', icon: 'resource' },
    { label: 'Roles', value: counts.data?.roles, href: '/console/roles', icon: 'role' },
    { label: 'Users', value: counts.data?.users, href: '/console/users', icon: 'users' },
  ];

  return (
    <>
      <PageHeader title="Dashboard" description="Token traffic and the state of this Sigil at a glance." />
      <div className="stats">
        {stats.map((s) => (
          <Link key={s.label} className="stat" href={s.href}>
            <span className="stat-label"><Icon name={s.icon} size={16} /> {s.label}</span>
            <span className="stat-value" data-testid={`count-${s.label}`}>{s.value === undefined ? '…' : s.value.toLocaleString()}</span>
          </Link>
        ))}
      </div>
      <ErrorNotice error={counts.error} />
      <Card
        title="Token requests"
        description={tokens.data ? `${totals.success.toLocaleString()} succeeded, ${totals.error.toLocaleString()} failed in the last ${shown === '24h' ? '24 hours' : '7 days'}` : undefined}
        actions={
          <div className="segmented" role="group" aria-label="Time range">
            <button type="button" aria-pressed={range === '24h'} onClick={() => setRange('24h')}>24 hours</button>
            <button type="button" aria-pressed={range === '7d'} onClick={() => setRange('7d')}>7 days</button>
          </div>
        }
      >
        {tokens.isPending ? (
          <Loading />
        ) : tokens.error ? (
          <ErrorNotice error={tokens.error} />
        ) : (
          <>
            <BarChart
              buckets={buckets!}
              label={shown === '24h' ? hourLabel : dayLabel}
              tooltip={shown === '24h' ? (ms) => `${dayLabel(ms)} ${hourLabel(ms)}` : dayLabel}
              labelEvery={shown === '24h' ? 3 : 1}
              summary={`Token requests per ${shown === '24h' ? 'hour' : 'day'}: ${totals.success} succeeded, ${totals.error} failed`}
            />
            <div className="legend">
              <span><i style={{ background: 'var(--accent)' }} />Success</span>
              <span><i style={{ background: 'var(--danger)' }} />Error</span>
            </div>
          </>
        )}
      </Card>
      <Card title="Recent failures" description="The latest errors recorded in the audit log (past 7 days).">
        {failures.isPending ? (
          <Loading />
        ) : failures.error ? (
          <ErrorNotice error={failures.error} />
        ) : failures.data.length === 0 ? (
          <EmptyState icon="check" title="No failures">Nothing has failed in the past 7 days.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th>Event</th><th>Application</th><th>Error</th><th>Time</th></tr></thead>
              <tbody>
                {failures.data.map((f) => (
                  <tr key={f.id}>
                    <td className="mono small">{f.key}</td>
                    <td data-label="Application">
                      {f.applicationId ? (
                        f.applicationName ? <Link href={`/console/applications/${f.applicationId}`}>{f.applicationName}</Link> : <span className="mono small">{f.applicationId}</span>
                      ) : <span className="muted">—</span>}
                    </td>
                    <td data-label="Error">
                      {f.errorCode ? <Badge tone="danger">{f.errorCode}</Badge> : null}
                      {f.errorDescription ? <span className="sub">{f.errorDescription}</span> : null}
                    </td>
                    <td data-label="Time" className="small">{formatTime(f.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
