'use client';
// Applications: search, page through, create a machine-to-machine app (its secret is shown once).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { Dialog } from '../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Field, Loading, PageHeader, Pagination, SearchBox, formatTime, useDebounced } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { APPLICATION_TYPE_LABELS } from '../../_lib/labels';
import { useTRPC } from '../../_lib/trpc';
import { CredentialsDialog, type CreatedApplication } from './credentials';

const PAGE_SIZE = 20;

export default function ApplicationsPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const debounced = useDebounced(search.trim());
  const list = useQuery({ ...trpc.applications.list.queryOptions({ search: debounced || undefined, page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApplication | null>(null);

  return (
    <>
      <PageHeader
        title="Applications"
        description="Machine-to-machine clients that request access tokens with client credentials."
        actions={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create application</Button>}
      />
      <Card>
        <div className="toolbar">
          <SearchBox label="Search by name, ID or description" value={search} onChange={(v) => (setSearch(v), setPage(1))} />
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          debounced ? (
            <EmptyState icon="search" title="No matches">No application matches “{debounced}”.</EmptyState>
          ) : (
            <EmptyState icon="apps" title="No applications yet" action={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create application</Button>}>
              Create one for each service that calls your APIs.
            </EmptyState>
          )
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Name</th><th>Type</th><th>App ID</th><th>Created</th></tr></thead>
                <tbody>
                  {list.data.items.map((app) => (
                    <tr key={app.id}>
                      <td className="primary-cell">
                        <Link href={`/console/applications/${app.id}`}>{app.name}</Link>
                        {app.description ? <span className="sub">{app.description}</span> : null}
                      </td>
                      <td data-label="Type"><Badge tone={app.type === 'MachineToMachine' ? 'accent' : 'neutral'}>{APPLICATION_TYPE_LABELS[app.type] ?? app.type}</Badge></td>
                      <td data-label="App ID" className="mono small">{app.id}</td>
                      <td data-label="Created" className="small">{formatTime(app.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <CreateApplication open={creating} onClose={() => setCreating(false)} onCreated={(app) => (setCreating(false), setCreated(app))} />
      <CredentialsDialog application={created} onClose={() => setCreated(null)} />
    </>
  );
}

function CreateApplication({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (app: CreatedApplication) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation(
    trpc.applications.create.mutationOptions({
      onSuccess: async (app) => {
        await queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() });
        setName('');
        setDescription('');
        onCreated({ ...app, secret: app.secret ?? '' }); // M2M apps always get a default secret
      },
    }),
  );
  return (
    <Dialog
      open={open}
      onClose={() => (create.reset(), onClose())}
      title="Create machine-to-machine application"
      onSubmit={() => create.mutate({ name, type: 'MachineToMachine', description: description || undefined })}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Create</Button></>}
    >
      <Field label="Name" error={fieldProblem(create.error, 'name')}>
        {(p) => <input {...p} required autoFocus maxLength={256} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Billing service" />}
      </Field>
      <Field label="Description" hint="Optional." error={fieldProblem(create.error, 'description')}>
        {(p) => <textarea {...p} rows={2} maxLength={2048} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {create.error && !fieldProblem(create.error, 'name') && !fieldProblem(create.error, 'description') ? <ErrorNotice error={create.error} /> : null}
    </Dialog>
  );
}
