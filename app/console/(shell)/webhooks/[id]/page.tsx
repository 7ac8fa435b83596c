'use client';
// One webhook: settings, signing key, a test send showing the receiver's answer, the success-rate chart,
// the delivery log (status, attempts, last answer) with redelivery, and deletion.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { BarChart } from '../../../_components/bar-chart';
import { ConfirmDialog } from '../../../_components/dialog';
import { Badge, Button, Card, CopyField, ErrorNotice, Loading, Notice, PageHeader, Switch } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';
import { HookFields, successRate, toHookInput, type HookFormValue } from '../hook-form';
import { Deliveries } from './deliveries';
import { TestSend } from './test-send';

type Hook = RouterOutputs['hooks']['get'];

const hourLabel = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });

export default function WebhookPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const hook = useQuery(trpc.hooks.get.queryOptions({ id, includeExecutionStats: 'true' }));
  if (hook.isPending) return <Loading />;
  if (hook.error) {
    return (
      <>
        <PageHeader title="Webhook" back={{ href: '/console/webhooks', label: 'Webhooks' }} />
        <ErrorNotice error={hook.error} />
      </>
    );
  }
  const h = hook.data;
  return (
    <>
      <PageHeader
        title={h.name || 'Webhook'}
        back={{ href: '/console/webhooks', label: 'Webhooks' }}
        description={<span className="row">{h.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}<span className="mono small">{h.config.url}</span></span>}
      />
      <div className="grid-2">
        <Health hook={h} />
        <SigningKey hook={h} />
      </div>
      <Deliveries hookId={h.id} />
      <TestSend hook={h} />
      <Settings hook={h} />
      <DangerZone hook={h} />
    </>
  );
}

function Health({ hook }: { hook: Hook }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<'24h' | '7d'>('24h');
  const chart = useQuery({ ...trpc.hooks.chart.queryOptions({ id: hook.id, range, tzOffsetMinutes: -new Date().getTimezoneOffset() }), refetchInterval: 15_000 });
  const totals = (chart.data ?? []).reduce((t, b) => ({ success: t.success + b.success, error: t.error + b.error }), { success: 0, error: 0 });
  return (
    <Card
      title="Delivery attempts"
      description={`Last 24 hours: ${successRate(hook.executionStats)} succeeded.`}
      actions={
        <div className="segmented" role="group" aria-label="Time range">
          <button type="button" aria-pressed={range === '24h'} onClick={() => setRange('24h')}>24 hours</button>
          <button type="button" aria-pressed={range === '7d'} onClick={() => setRange('7d')}>7 days</button>
        </div>
      }
    >
      {chart.isPending ? <Loading /> : chart.error ? <ErrorNotice error={chart.error} /> : (
        <>
          <BarChart
            buckets={chart.data}
            label={range === '24h' ? hourLabel : dayLabel}
            tooltip={range === '24h' ? (ms) => `${dayLabel(ms)} ${hourLabel(ms)}` : dayLabel}
            labelEvery={range === '24h' ? 4 : 1}
            summary={`Delivery attempts per ${range === '24h' ? 'hour' : 'day'}: ${totals.success} succeeded, ${totals.error} failed`}
          />
          <div className="legend">
            <span><i style={{ background: 'var(--accent)' }} />Succeeded</span>
            <span><i style={{ background: 'var(--danger)' }} />Failed</span>
          </div>
        </>
      )}
    </Card>
  );
}

function SigningKey({ hook }: { hook: Hook }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const regenerate = useMutation(
    trpc.hooks.regenerateSigningKey.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() });
        setOpen(false);
      },
    }),
  );
  return (
    <Card title="Signing key" description="Verify logto-signature-sha-256 (HMAC-SHA256 of the raw body) or sigil-signature (which also signs a timestamp, against replay) with this key.">
      <div className="stack">
        <CopyField label="Signing key" value={hook.signingKey} testId="signing-key" />
        <div><Button icon="key" onClick={() => (regenerate.reset(), setOpen(true))}>Regenerate</Button></div>
      </div>
      <ConfirmDialog open={open} onClose={() => setOpen(false)} title="Regenerate signing key" confirmLabel="Regenerate" busy={regenerate.isPending} error={regenerate.error} onConfirm={() => regenerate.mutate({ id: hook.id })}>
        <p>Deliveries are signed with the new key from the next attempt on; your endpoint must switch to it.</p>
      </ConfirmDialog>
    </Card>
  );
}

function Settings({ hook }: { hook: Hook }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initial = (): HookFormValue => ({
    name: hook.name,
    url: hook.config.url,
    events: hook.events as HookFormValue['events'],
    headers: Object.entries(hook.config.headers).map(([key, value]) => ({ key, value })),
  });
  const [form, setForm] = useState(initial);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setForm(initial()), [hook]);
  const update = useMutation(trpc.hooks.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() }) }));
  const toggle = useMutation(trpc.hooks.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() }) }));
  const dirty = JSON.stringify(form) !== JSON.stringify(initial());
  return (
    <Card title="Settings">
      <form className="stack" onSubmit={(e) => (e.preventDefault(), update.mutate({ id: hook.id, ...toHookInput(form) }))}>
        <Switch
          label="Enabled"
          checked={hook.enabled}
          disabled={toggle.isPending}
          onChange={(enabled) => toggle.mutate({ id: hook.id, enabled })}
          description="A disabled webhook gets no new events; deliveries already queued wait and resume when it is enabled again."
        />
        <ErrorNotice error={toggle.error} />
        <HookFields value={form} onChange={setForm} error={update.error} />
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div><Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save</Button></div>
      </form>
    </Card>
  );
}

function DangerZone({ hook }: { hook: Hook }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.hooks.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() });
        router.push('/console/webhooks');
      },
    }),
  );
  const name = hook.name || 'delete';
  return (
    <Card title="Delete webhook" description="Queued deliveries are dropped with it.">
      <Button variant="danger" icon="trash" onClick={() => (remove.reset(), setOpen(true))}>Delete webhook</Button>
      <ConfirmDialog open={open} onClose={() => setOpen(false)} title="Delete webhook" confirmLabel="Delete" typeToConfirm={name} busy={remove.isPending} error={remove.error} onConfirm={() => remove.mutate({ id: hook.id })}>
        <p>This deletes <strong>{hook.name || hook.config.url}</strong> and its pending deliveries. It cannot be undone.</p>
      </ConfirmDialog>
    </Card>
  );
}
