'use client';
// Who holds a role: applications (machine-to-machine roles) or users (user roles). Assign through a
// searchable picker; remove after confirmation.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Button, Card, EmptyState, ErrorNotice, Loading, Pagination, SearchBox, useDebounced } from '../../../_components/ui';
import { userLabel } from '../../../_lib/labels';
import { useTRPC } from '../../../_lib/trpc';

const PAGE_SIZE = 20;
type Holder = { id: string; label: string; sub?: string | null; href: string };

function HoldersTable({ holders, noun, onRemove }: { holders: Holder[]; noun: string; onRemove: (h: Holder) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={`${noun}s with this role`}>
        <thead><tr><th>{noun}</th><th>ID</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {holders.map((h) => (
            <tr key={h.id}>
              <td className="primary-cell"><Link href={h.href}>{h.label}</Link>{h.sub ? <span className="sub">{h.sub}</span> : null}</td>
              <td data-label="ID" className="mono small">{h.id}</td>
              <td className="actions"><Button variant="ghost" icon="trash" aria-label={`Remove ${h.label}`} onClick={() => onRemove(h)}>Remove</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Checkbox list over a search; the caller loads candidates for the current search term. */
function Picker({ title, open, onClose, search, onSearch, candidates, loading, error, onAssign, busy, assignError, empty }: {
  title: string; open: boolean; onClose: () => void; search: string; onSearch: (v: string) => void;
  candidates: Holder[]; loading: boolean; error: unknown; onAssign: (ids: string[]) => void; busy: boolean; assignError: unknown; empty: ReactNode;
}) {
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const close = () => (setPicked(new Set()), onClose());
  return (
    <Dialog
      open={open}
      onClose={close}
      title={title}
      onSubmit={() => picked.size > 0 && onAssign([...picked])}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" disabled={picked.size === 0} busy={busy}>Assign {picked.size || ''}</Button></>}
    >
      <SearchBox label="Search" value={search} onChange={onSearch} />
      {loading ? <Loading /> : error ? <ErrorNotice error={error} /> : candidates.length === 0 ? empty : (
        <fieldset className="picker">
          <legend className="sr-only">{title}</legend>
          <div className="picker-group">
            {candidates.map((c) => (
              <label key={c.id}>
                <input type="checkbox" checked={picked.has(c.id)} onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(c.id);
                  else next.delete(c.id);
                  setPicked(next);
                }} />
                <span>{c.label}{c.sub ? <span className="muted small"> — {c.sub}</span> : null}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <ErrorNotice error={assignError} />
    </Dialog>
  );
}

export function RoleApplications({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({ ...trpc.roles.applications.queryOptions({ id, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [assigning, setAssigning] = useState(false);
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim());
  const candidates = useQuery({ ...trpc.applications.list.queryOptions({ search: term || undefined, page: 1, page_size: 50 }), enabled: assigning });
  const [removing, setRemoving] = useState<Holder | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() })]);
  const assign = useMutation(trpc.roles.assignApplications.mutationOptions({ onSuccess: async () => (await refresh(), setAssigning(false)) }));
  const remove = useMutation(trpc.roles.removeApplication.mutationOptions({ onSuccess: async () => (setRemoving(null), await refresh()) }));
  const held = new Set(list.data?.items.map((a) => a.id));
  const holders: Holder[] = (list.data?.items ?? []).map((a) => ({ id: a.id, label: a.name, sub: a.description, href: `/console/applications/${a.id}` }));

  return (
    <Card title="Applications" description="Applications holding this role get its scopes in client-credentials tokens." actions={<Button icon="plus" onClick={() => (assign.reset(), setAssigning(true))}>Assign applications</Button>}>
      {list.isPending ? <Loading /> : list.error ? <ErrorNotice error={list.error} /> : holders.length === 0 ? (
        <EmptyState icon="apps" title="No applications">Assign this role to the applications that need its scopes.</EmptyState>
      ) : (
        <>
          <HoldersTable holders={holders} noun="Application" onRemove={(h) => (remove.reset(), setRemoving(h))} />
          <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
      <Picker
        title="Assign applications"
        open={assigning}
        onClose={() => setAssigning(false)}
        search={search}
        onSearch={setSearch}
        candidates={(candidates.data?.items ?? []).filter((a) => a.type === 'MachineToMachine' && !held.has(a.id)).map((a) => ({ id: a.id, label: a.name, sub: a.id, href: '' }))}
        loading={candidates.isPending}
        error={candidates.error}
        onAssign={(applicationIds) => assign.mutate({ id, applicationIds })}
        busy={assign.isPending}
        assignError={assign.error}
        empty={<EmptyState icon="apps" title="No applications to assign">No other machine-to-machine application matches.</EmptyState>}
      />
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title="Remove application" confirmLabel="Remove" busy={remove.isPending} error={remove.error} onConfirm={() => removing && remove.mutate({ id, applicationId: removing.id })}>
        <p><strong>{removing?.label}</strong> loses this role&apos;s scopes for new tokens.</p>
      </ConfirmDialog>
    </Card>
  );
}

export function RoleUsers({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({ ...trpc.roles.users.queryOptions({ id, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [assigning, setAssigning] = useState(false);
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim());
  const candidates = useQuery({ ...trpc.users.list.queryOptions({ ...(term ? { search: term } : {}), excludeRoleId: id, page: '1', page_size: '50' }), enabled: assigning });
  const [removing, setRemoving] = useState<Holder | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() })]);
  const assign = useMutation(trpc.roles.assignUsers.mutationOptions({ onSuccess: async () => (await refresh(), setAssigning(false)) }));
  const remove = useMutation(trpc.roles.removeUser.mutationOptions({ onSuccess: async () => (setRemoving(null), await refresh()) }));
  const holders: Holder[] = (list.data?.items ?? []).map((u) => ({ id: u.id, label: userLabel(u), sub: u.primaryEmail !== userLabel(u) ? u.primaryEmail : null, href: `/console/users/${u.id}` }));

  return (
    <Card title="Users" description="Users holding this role get its scopes." actions={<Button icon="plus" onClick={() => (assign.reset(), setAssigning(true))}>Assign users</Button>}>
      {list.isPending ? <Loading /> : list.error ? <ErrorNotice error={list.error} /> : holders.length === 0 ? (
        <EmptyState icon="users" title="No users">Assign this role to users.</EmptyState>
      ) : (
        <>
          <HoldersTable holders={holders} noun="User" onRemove={(h) => (remove.reset(), setRemoving(h))} />
          <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </>
      )}
      <Picker
        title="Assign users"
        open={assigning}
        onClose={() => setAssigning(false)}
        search={search}
        onSearch={setSearch}
        candidates={(candidates.data?.items ?? []).map((u) => ({ id: u.id, label: userLabel(u), sub: u.primaryEmail ?? u.id, href: '' }))}
        loading={candidates.isPending}
        error={candidates.error}
        onAssign={(userIds) => assign.mutate({ id, userIds })}
        busy={assign.isPending}
        assignError={assign.error}
        empty={<EmptyState icon="users" title="No users to assign">No other user matches.</EmptyState>}
      />
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title="Remove user" confirmLabel="Remove" busy={remove.isPending} error={remove.error} onConfirm={() => removing && remove.mutate({ id, userId: removing.id })}>
        <p><strong>{removing?.label}</strong> loses this role.</p>
      </ConfirmDialog>
    </Card>
  );
}
