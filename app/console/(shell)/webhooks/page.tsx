'use client';
// Webhooks: endpoints that receive signed events, with their last-24-hours success rate.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Dialog } from '../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Loading, PageHeader, Pagination } from '../../_components/ui';
import { useTRPC } from '../../_lib/trpc';
import { HookFields, emptyHookForm, successRate, toHookInput } from './hook-form';

const PAGE_SIZE = 20;

export default function WebhooksPage() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const list = useQuery({ ...trpc.hooks.list.queryOptions({ page, page_size: PAGE_SIZE, includeExecutionStats: 'true' }), placeholderData: keepPreviousData, refetchInterval: 15_000 });
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Signed HTTP notifications of changes and token events. Deliveries are queued durably and retried for about a day."
        actions={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create webhook</Button>}
      />
      <Card>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon="webhook" title="No webhooks yet" action={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create webhook</Button>}>
            Send events such as Role.Created or Token.Issued to your own endpoint.
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" aria-label="Webhooks">
                <thead><tr><th>Name</th><th>Events</th><th>Status</th><th>Last 24 hours</th></tr></thead>
                <tbody>
                  {list.data.items.map((h) => (
                    <tr key={h.id}>
                      <td className="primary-cell">
                        <Link href={`/console/webhooks/${h.id}`}>{h.name || h.config.url}</Link>
                        <span className="sub mono">{h.config.url}</span>
                      </td>
                      <td data-label="Events" className="small">{h.events.length === 1 ? h.events[0] : `${h.events.length} events`}</td>
                      <td data-label="Status">{h.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</td>
                      <td data-label="Last 24 hours" className="small">{successRate(h.executionStats)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <CreateWebhook open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateWebhook({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(emptyHookForm());
  const create = useMutation(
    trpc.hooks.create.mutationOptions({
      onSuccess: async (hook) => {
        await queryClient.invalidateQueries({ queryKey: trpc.hooks.pathKey() });
        setForm(emptyHookForm());
        router.push(`/console/webhooks/${hook.id}`);
      },
    }),
  );
  const close = () => (create.reset(), onClose());
  return (
    <Dialog
      open={open}
      onClose={close}
      wide
      title="Create webhook"
      onSubmit={() => create.mutate(toHookInput(form))}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Create webhook</Button></>}
    >
      <HookFields value={form} onChange={setForm} error={create.error} />
    </Dialog>
  );
}
