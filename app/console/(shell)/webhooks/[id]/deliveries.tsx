'use client';
// The delivery log: one row per queued event (status, attempts, the endpoint's last answer, when the
// next attempt is due), a detail view with the exact payload, and redelivery.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog } from '../../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Loading, Pagination, formatTime } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';

const PAGE_SIZE = 20;
type Status = 'Pending' | 'Delivered' | 'Dead';

export function StatusBadge({ status, inFlight }: { status: Status; inFlight?: boolean }) {
  if (status === 'Delivered') return <Badge tone="success">Delivered</Badge>;
  if (status === 'Dead') return <Badge tone="danger">Dead</Badge>;
  return <Badge tone="warning">{inFlight ? 'Sending' : 'Pending'}</Badge>;
}

export function Deliveries({ hookId }: { hookId: string }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({ ...trpc.hooks.deliveries.queryOptions({ id: hookId, status, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData, refetchInterval: 5_000 });
  const filters: Array<[Status | undefined, string]> = [[undefined, 'All'], ['Pending', 'Pending'], ['Delivered', 'Delivered'], ['Dead', 'Dead']];
  return (
    <Card
      title="Deliveries"
      description="Every event queued for this webhook. Failed attempts are retried with backoff; Dead ones wait for you to redeliver."
      actions={
        <div className="segmented" role="group" aria-label="Delivery status">
          {filters.map(([value, label]) => (
            <button key={label} type="button" aria-pressed={status === value} onClick={() => (setStatus(value), setPage(1))}>{label}</button>
          ))}
        </div>
      }
    >
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNotice error={list.error} />
      ) : list.data.items.length === 0 ? (
        <EmptyState icon="webhook" title={status ? `No ${status.toLowerCase()} deliveries` : 'No deliveries yet'}>Events this webhook subscribes to appear here.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Deliveries">
              <thead><tr><th>Event</th><th>Status</th><th>Attempts</th><th>Last answer</th><th>Created</th><th /></tr></thead>
              <tbody>
                {list.data.items.map((d) => (
                  <tr key={d.id}>
                    <td className="primary-cell">
                      <span className="mono small">{d.event}</span>
                      <span className="sub mono">{d.eventId}</span>
                    </td>
                    <td data-label="Status"><StatusBadge status={d.status} inFlight={d.inFlight} /></td>
                    <td data-label="Attempts">{d.attempts}</td>
                    <td data-label="Last answer" className="small">
                      {d.lastStatus ? <span className="mono">HTTP {d.lastStatus}</span> : d.lastError ? <span className="muted">no response</span> : '—'}
                      {d.status === 'Pending' && d.nextAttemptAt && !d.inFlight && d.attempts > 0 ? <span className="sub">next try {formatTime(d.nextAttemptAt)}</span> : null}
                    </td>
                    <td data-label="Created" className="small">{formatTime(d.createdAt)}</td>
                    <td><Button variant="ghost" onClick={() => setOpen(d.id)} aria-label={`Details of ${d.event} delivery`}>Details</Button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
      {open ? <DeliveryDetail hookId={hookId} deliveryId={open} onClose={() => setOpen(null)} /> : null}
    </Card>
  );
}

function DeliveryDetail({ hookId, deliveryId, onClose }: { hookId: string; deliveryId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery({ ...trpc.hooks.delivery.queryOptions({ id: hookId, deliveryId }), refetchInterval: 2_000 });
  const redeliver = useMutation(
    trpc.hooks.redeliver.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() }),
    }),
  );
  const d = detail.data;
  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title={d ? `${d.event} delivery` : 'Delivery'}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button variant="primary" icon="webhook" disabled={!d || d.inFlight} busy={redeliver.isPending} onClick={() => redeliver.mutate({ id: hookId, deliveryId })}>Redeliver</Button>
        </>
      }
    >
      {detail.isPending ? <Loading /> : detail.error ? <ErrorNotice error={detail.error} /> : d ? (
        <div className="stack">
          <dl className="facts">
            <dt>Status</dt><dd data-testid="delivery-status"><StatusBadge status={d.status} inFlight={d.inFlight} /></dd>
            <dt>Attempts</dt><dd data-testid="delivery-attempts">{d.attempts}</dd>
            <dt>Event id</dt><dd className="mono small">{d.eventId}</dd>
            <dt>Last answer</dt><dd>{d.lastStatus ? `HTTP ${d.lastStatus}` : '—'}</dd>
            {d.lastError ? (<><dt>Last error</dt><dd className="field-error">{d.lastError}</dd></>) : null}
            {d.status === 'Pending' && d.nextAttemptAt ? (<><dt>Next attempt</dt><dd>{formatTime(d.nextAttemptAt)}</dd></>) : null}
            {d.deliveredAt ? (<><dt>Delivered</dt><dd>{formatTime(d.deliveredAt)}</dd></>) : null}
          </dl>
          {d.lastResponse ? (<><p className="field-label">Last response body</p><pre className="command">{d.lastResponse}</pre></>) : null}
          <p className="field-label">Payload (sent as the raw JSON body)</p>
          <pre className="command" aria-label="Payload">{JSON.stringify(d.payload, null, 2)}</pre>
          <ErrorNotice error={redeliver.error} />
          {redeliver.isSuccess ? <p className="muted small" role="status">Queued again with a fresh attempt budget.</p> : null}
        </div>
      ) : null}
    </Dialog>
  );
}
