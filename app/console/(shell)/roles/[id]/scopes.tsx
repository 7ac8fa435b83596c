'use client';
// The role's scopes, grouped by API resource; add through the cross-resource picker, remove with confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Icon } from '../../../_components/icons';
import { ScopePicker } from '../../../_components/scope-picker';
import { Button, Card, EmptyState, ErrorNotice, Loading } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';

export function RoleScopes({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const scopes = useQuery(trpc.roles.scopes.queryOptions({ id, page_size: 100 }));
  const [adding, setAdding] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() })]);
  const add = useMutation(trpc.roles.addScopes.mutationOptions({ onSuccess: async () => (await refresh(), setAdding(false), setPicked(new Set())) }));
  const remove = useMutation(trpc.roles.removeScope.mutationOptions({ onSuccess: async () => (setRemoving(null), await refresh()) }));

  const byResource = new Map<string, { name: string; indicator: string; scopes: Array<{ id: string; name: string }> }>();
  for (const s of scopes.data?.items ?? []) {
    const group = byResource.get(s.resourceId) ?? { name: s.resource.name, indicator: s.resource.indicator, scopes: [] };
    group.scopes.push({ id: s.id, name: s.name });
    byResource.set(s.resourceId, group);
  }

  return (
    <Card title="Scopes" description="What tokens of the role's holders may carry." actions={<Button icon="plus" onClick={() => (add.reset(), setAdding(true))}>Add scopes</Button>}>
      {scopes.isPending ? (
        <Loading />
      ) : scopes.error ? (
        <ErrorNotice error={scopes.error} />
      ) : byResource.size === 0 ? (
        <EmptyState icon="key" title="No scopes">Add scopes from any API resource.</EmptyState>
      ) : (
        <div className="stack">
          {[...byResource.entries()].map(([resourceId, group]) => (
            <div key={resourceId}>
              <p className="picker-group-title">{group.name} <span className="muted small mono">{group.indicator}</span></p>
              <ul className="chips" aria-label={`Scopes of ${group.name}`} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {group.scopes.map((s) => (
                  <li key={s.id} className="chip">
                    <span className="mono">{s.name}</span>
                    <button type="button" aria-label={`Remove scope ${s.name}`} onClick={() => (remove.reset(), setRemoving(s))}><Icon name="close" size={14} /></button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
      <Dialog
        open={adding}
        wide
        onClose={() => setAdding(false)}
        title="Add scopes"
        onSubmit={() => picked.size > 0 && add.mutate({ id, scopeIds: [...picked] })}
        footer={<><Button onClick={() => setAdding(false)}>Cancel</Button><Button type="submit" variant="primary" disabled={picked.size === 0} busy={add.isPending}>Add {picked.size || ''}</Button></>}
      >
        <ScopePicker picked={picked} onChange={setPicked} exclude={new Set((scopes.data?.items ?? []).map((s) => s.id))} />
        <ErrorNotice error={add.error} />
      </Dialog>
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title="Remove scope" confirmLabel="Remove" busy={remove.isPending} error={remove.error} onConfirm={() => removing && remove.mutate({ id, scopeId: removing.id })}>
        <p>New tokens of this role&apos;s holders will not carry <code>{removing?.name}</code>.</p>
      </ConfirmDialog>
    </Card>
  );
}
