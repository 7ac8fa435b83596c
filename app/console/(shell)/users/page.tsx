'use client';
// Users: search by id, username, email, phone or name; page through; create one.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Dialog } from '../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Field, Loading, PageHeader, Pagination, SearchBox, formatTime, useDebounced } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { userLabel } from '../../_lib/labels';
import { useTRPC } from '../../_lib/trpc';

const PAGE_SIZE = 20;

export default function UsersPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const debounced = useDebounced(search.trim());
  const list = useQuery({ ...trpc.users.list.queryOptions({ ...(debounced ? { search: debounced } : {}), page: String(page), page_size: String(PAGE_SIZE) }), placeholderData: keepPreviousData });
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Users"
        description="The people your applications act for. Their roles decide the scopes of tokens issued for them."
        actions={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create user</Button>}
      />
      <Card>
        <div className="toolbar">
          <SearchBox label="Search by name, username, email, phone or ID" value={search} onChange={(v) => (setSearch(v), setPage(1))} />
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon={debounced ? 'search' : 'users'} title={debounced ? 'No matches' : 'No users yet'}>
            {debounced ? `No user matches “${debounced}”.` : 'Create users here or through the Management API.'}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>User</th><th>Email</th><th>Phone</th><th>Last sign-in</th><th>Created</th></tr></thead>
                <tbody>
                  {list.data.items.map((u) => (
                    <tr key={u.id}>
                      <td className="primary-cell">
                        <Link href={`/console/users/${u.id}`}>{userLabel(u)}</Link> {u.isSuspended ? <Badge tone="danger">suspended</Badge> : null}
                        {u.username && u.username !== userLabel(u) ? <span className="sub">@{u.username}</span> : null}
                      </td>
                      <td data-label="Email">{u.primaryEmail ?? <span className="muted">—</span>}</td>
                      <td data-label="Phone">{u.primaryPhone ? `+${u.primaryPhone}` : <span className="muted">—</span>}</td>
                      <td data-label="Last sign-in" className="small">{formatTime(u.lastSignInAt)}</td>
                      <td data-label="Created" className="small">{formatTime(u.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <CreateUser open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

const FIELDS = [
  { key: 'username', label: 'Username', type: 'text', autoComplete: 'off' },
  { key: 'primaryEmail', label: 'Email', type: 'email', autoComplete: 'off' },
  { key: 'primaryPhone', label: 'Phone', type: 'tel', autoComplete: 'off' },
  { key: 'name', label: 'Display name', type: 'text', autoComplete: 'off' },
  { key: 'password', label: 'Password', type: 'password', autoComplete: 'new-password' },
] as const;
type Form = Record<(typeof FIELDS)[number]['key'], string>;

function CreateUser({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const empty: Form = { username: '', primaryEmail: '', primaryPhone: '', name: '', password: '' };
  const [form, setForm] = useState<Form>(empty);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        setForm(empty);
        router.push(`/console/users/${user.id}`);
      },
    }),
  );
  const close = () => (create.reset(), onClose());
  const unnamed = create.error && !FIELDS.some((f) => fieldProblem(create.error, f.key));
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create user"
      onSubmit={() => create.mutate(Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, k === 'password' ? v : v.trim()])))}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Create user</Button></>}
    >
      <p className="muted small">All fields are optional; fill in what identifies the user.</p>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={fieldProblem(create.error, f.key)}>
            {(p) => <input {...p} type={f.type} autoComplete={f.autoComplete} value={form[f.key]} onChange={(e) => setForm({ ...form, [f.key]: e.target.value })} />}
          </Field>
        ))}
      </div>
      {unnamed ? <ErrorNotice error={create.error} /> : null}
    </Dialog>
  );
}
