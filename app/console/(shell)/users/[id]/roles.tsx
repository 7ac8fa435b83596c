'use client';
// The user's roles (User roles only): assign from a list, remove with confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Button, Card, EmptyState, ErrorNotice, Loading } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';

export function UserRolesCard({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const roles = useQuery(trpc.users.roles.queryOptions({ userId: id, page_size: 100 }));
  const [assigning, setAssigning] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() })]);
  const remove = useMutation(trpc.users.removeRole.mutationOptions({ onSuccess: async () => (setRemoving(null), await refresh()) }));
  return (
    <Card title="Roles" actions={<Button icon="plus" onClick={() => setAssigning(true)}>Assign roles</Button>}>
      {roles.isPending ? <Loading /> : roles.error ? <ErrorNotice error={roles.error} /> : roles.data.items.length === 0 ? (
        <EmptyState icon="role" title="No roles">This user has no roles yet.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Roles of this user">
            <thead><tr><th>Role</th><th>Description</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {roles.data.items.map((r) => (
                <tr key={r.id}>
                  <td className="primary-cell"><Link href={`/console/roles/${r.id}`}>{r.name}</Link></td>
                  <td data-label="Description" className="muted">{r.description || '—'}</td>
                  <td className="actions"><Button variant="ghost" icon="trash" aria-label={`Remove role ${r.name}`} onClick={() => (remove.reset(), setRemoving(r))}>Remove</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {assigning ? <AssignRoles id={id} held={new Set(roles.data?.items.map((r) => r.id))} onClose={() => setAssigning(false)} onDone={refresh} /> : null}
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title="Remove role" confirmLabel="Remove" busy={remove.isPending} error={remove.error} onConfirm={() => removing && remove.mutate({ userId: id, roleId: removing.id })}>
        <p>The user loses <strong>{removing?.name}</strong> and its scopes.</p>
      </ConfirmDialog>
    </Card>
  );
}

function AssignRoles({ id, held, onClose, onDone }: { id: string; held: Set<string>; onClose: () => void; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const roles = useQuery(trpc.roles.list.queryOptions({ type: 'User', page: 1, page_size: 100 }));
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const assign = useMutation(trpc.users.assignRoles.mutationOptions({ onSuccess: async (): Promise<void> => (await onDone(), onClose()) }));
  const available = roles.data?.items.filter((r) => !held.has(r.id)) ?? [];
  return (
    <Dialog
      open
      onClose={onClose}
      title="Assign roles"
      onSubmit={() => picked.size > 0 && assign.mutate({ userId: id, roleIds: [...picked] })}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" disabled={picked.size === 0} busy={assign.isPending}>Assign {picked.size || ''}</Button></>}
    >
      {roles.isPending ? <Loading /> : roles.error ? <ErrorNotice error={roles.error} /> : available.length === 0 ? (
        <EmptyState icon="role" title="No roles to assign">Every user role is assigned already, or none exists.</EmptyState>
      ) : (
        <fieldset className="picker">
          <legend className="sr-only">User roles</legend>
          <div className="picker-group">
            {available.map((r) => (
              <label key={r.id}>
                <input type="checkbox" checked={picked.has(r.id)} onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(r.id);
                  else next.delete(r.id);
                  setPicked(next);
                }} />
                <span>{r.name}{r.description ? <span className="muted small"> — {r.description}</span> : null}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <ErrorNotice error={assign.error} />
    </Dialog>
  );
}
