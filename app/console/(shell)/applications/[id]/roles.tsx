'use client';
// The application's machine-to-machine roles: what its tokens may carry.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Button, Card, EmptyState, ErrorNotice, Loading } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';

type Role = RouterOutputs['applications']['roles']['items'][number];

export function RolesCard({ id, roles }: { id: string; roles: Role[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [assigning, setAssigning] = useState(false);
  const [removing, setRemoving] = useState<Role | null>(null);
  const refresh = () => Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() }),
  ]);
  const remove = useMutation(trpc.applications.removeRole.mutationOptions({ onSuccess: async () => (setRemoving(null), await refresh()) }));
  return (
    <Card
      title="Roles"
      description="Machine-to-machine roles decide which resources and scopes this application's tokens may carry."
      actions={<Button icon="plus" onClick={() => setAssigning(true)}>Assign roles</Button>}
    >
      {roles.length === 0 ? (
        <EmptyState icon="role" title="No roles">Without a role the application can only get tokens without scopes.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th>Role</th><th>Description</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {roles.map((r) => (
                <tr key={r.id}>
                  <td className="primary-cell"><Link href={`/console/roles/${r.id}`}>{r.name}</Link></td>
                  <td data-label="Description" className="muted">{r.description || '—'}</td>
                  <td className="actions">
                    <Button variant="ghost" icon="trash" aria-label={`Remove role ${r.name}`} onClick={() => (remove.reset(), setRemoving(r))}>Remove</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AssignRoles id={id} open={assigning} assigned={new Set(roles.map((r) => r.id))} onClose={() => setAssigning(false)} onDone={refresh} />
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove role"
        confirmLabel="Remove"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate({ applicationId: id, roleId: removing.id })}
      >
        <p>New tokens for this application will no longer carry the scopes of <strong>{removing?.name}</strong>.</p>
      </ConfirmDialog>
    </Card>
  );
}

function AssignRoles({ id, open, assigned, onClose, onDone }: { id: string; open: boolean; assigned: Set<string>; onClose: () => void; onDone: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const roles = useQuery({ ...trpc.roles.list.queryOptions({ type: 'MachineToMachine', page: 1, page_size: 100 }), enabled: open });
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const assign = useMutation(trpc.applications.assignRoles.mutationOptions({ onSuccess: async (): Promise<void> => (await onDone(), close()) }));
  const close = (): void => (assign.reset(), setPicked(new Set()), onClose());
  const available = roles.data?.items.filter((r) => !assigned.has(r.id)) ?? [];
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Assign roles"
      onSubmit={() => picked.size > 0 && assign.mutate({ applicationId: id, roleIds: [...picked] })}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" disabled={picked.size === 0} busy={assign.isPending}>Assign {picked.size || ''}</Button></>}
    >
      {roles.isPending ? (
        <Loading />
      ) : roles.error ? (
        <ErrorNotice error={roles.error} />
      ) : available.length === 0 ? (
        <EmptyState icon="role" title="No roles to assign" action={<Link href="/console/roles" className="btn">Create a role</Link>}>
          Every machine-to-machine role is already assigned, or none exists yet.
        </EmptyState>
      ) : (
        <fieldset className="picker">
          <legend className="sr-only">Machine-to-machine roles</legend>
          <div className="picker-group">
            {available.map((r) => (
              <label key={r.id}>
                <input
                  type="checkbox"
                  checked={picked.has(r.id)}
                  onChange={(e) => {
                    const next = new Set(picked);
                    if (e.target.checked) next.add(r.id);
                    else next.delete(r.id);
                    setPicked(next);
                  }}
                />
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
