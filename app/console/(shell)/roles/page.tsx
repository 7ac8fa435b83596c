'use client';
// Roles: bundles of scopes, for users (User) or applications (MachineToMachine).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Dialog } from '../../_components/dialog';
import { ScopePicker } from '../../_components/scope-picker';
import { Badge, Button, Card, EmptyState, ErrorNotice, Field, Loading, PageHeader, Pagination, SearchBox, useDebounced } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { ROLE_TYPE_LABELS } from '../../_lib/labels';
import { useTRPC } from '../../_lib/trpc';

const PAGE_SIZE = 20;
type RoleType = 'User' | 'MachineToMachine';

export default function RolesPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [type, setType] = useState<RoleType | undefined>(undefined);
  const [page, setPage] = useState(1);
  const debounced = useDebounced(search.trim());
  const list = useQuery({ ...trpc.roles.list.queryOptions({ search: debounced || undefined, type, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [creating, setCreating] = useState(false);
  const filters: Array<[RoleType | undefined, string]> = [[undefined, 'All'], ['User', 'User'], ['MachineToMachine', 'Machine-to-machine']];

  return (
    <>
      <PageHeader
        title="Roles"
        description="Roles bundle scopes. Assign machine-to-machine roles to applications and user roles to users."
        actions={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create role</Button>}
      />
      <Card>
        <div className="toolbar">
          <SearchBox label="Search by name or description" value={search} onChange={(v) => (setSearch(v), setPage(1))} />
          <div className="segmented" role="group" aria-label="Role type">
            {filters.map(([value, label]) => (
              <button key={label} type="button" aria-pressed={type === value} onClick={() => (setType(value), setPage(1))}>{label}</button>
            ))}
          </div>
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon={debounced ? 'search' : 'role'} title={debounced || type ? 'No matching roles' : 'No roles yet'}>
            {debounced || type ? 'Try another search or type.' : 'Create a role, give it scopes, then assign it.'}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Name</th><th>Type</th><th>Assigned to</th></tr></thead>
                <tbody>
                  {list.data.items.map((r) => (
                    <tr key={r.id}>
                      <td className="primary-cell">
                        <Link href={`/console/roles/${r.id}`}>{r.name}</Link>
                        {r.description ? <span className="sub">{r.description}</span> : null}
                      </td>
                      <td data-label="Type"><Badge tone={r.type === 'MachineToMachine' ? 'accent' : 'neutral'}>{ROLE_TYPE_LABELS[r.type]}</Badge></td>
                      <td data-label="Assigned to" className="small">
                        {r.type === 'MachineToMachine' ? `${r.applicationsCount} application${r.applicationsCount === 1 ? '' : 's'}` : `${r.usersCount} user${r.usersCount === 1 ? '' : 's'}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <CreateRole open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateRole({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<RoleType>('MachineToMachine');
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const create = useMutation(
    trpc.roles.create.mutationOptions({
      onSuccess: async (role) => {
        await queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() });
        setName('');
        setDescription('');
        setScopes(new Set());
        router.push(`/console/roles/${role.id}`);
      },
    }),
  );
  const close = () => (create.reset(), onClose());
  const known = ['name', 'description', 'type', 'scopeIds'];
  return (
    <Dialog
      open={open}
      onClose={close}
      wide
      title="Create role"
      onSubmit={() => create.mutate({ name, description, type, scopeIds: [...scopes] })}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Create role</Button></>}
    >
      <div className="form-grid">
        <Field label="Name" error={fieldProblem(create.error, 'name')}>
          {(p) => <input {...p} required autoFocus maxLength={128} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. orders-reader" />}
        </Field>
        <Field label="Type" hint="Cannot be changed later." error={fieldProblem(create.error, 'type')}>
          {(p) => (
            <select {...p} value={type} onChange={(e) => setType(e.target.value as RoleType)}>
              <option value="MachineToMachine">Machine-to-machine (applications)</option>
              <option value="User">User</option>
            </select>
          )}
        </Field>
      </div>
      <Field label="Description" error={fieldProblem(create.error, 'description')}>
        {(p) => <input {...p} maxLength={2048} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What holders of this role may do" />}
      </Field>
      <div className="field">
        <span className="field-label">Scopes</span>
        <ScopePicker picked={scopes} onChange={setScopes} />
        {fieldProblem(create.error, 'scopeIds') ? <p className="field-error">{fieldProblem(create.error, 'scopeIds')}</p> : null}
      </div>
      {create.error && !known.some((k) => fieldProblem(create.error, k)) ? <ErrorNotice error={create.error} /> : null}
    </Dialog>
  );
}
