'use client';
// API resources: the APIs tokens are issued for (RFC 8707 indicators), with their scopes.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Dialog } from '../../_components/dialog';
import { Badge, Button, Card, EmptyState, ErrorNotice, Field, Loading, PageHeader, Pagination, SearchBox, useDebounced } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';
import { TokenFields } from './token-fields';
import { formatTtl } from './ttl';

const PAGE_SIZE = 20;

export default function ResourcesPage() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const debounced = useDebounced(search.trim());
  const list = useQuery({ ...trpc.resources.list.queryOptions({ search: debounced || undefined, includeScopes: 'true', page, page_size: PAGE_SIZE }), placeholderData: keepPreviousData });
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="API resources"
        description="The APIs Sigil issues access tokens for. Each is named by its resource indicator and defines its scopes."
        actions={<Button variant="primary" icon="plus" onClick={() => setCreating(true)}>Create API resource</Button>}
      />
      <Card>
        <div className="toolbar">
          <SearchBox label="Search by name or indicator" value={search} onChange={(v) => (setSearch(v), setPage(1))} />
        </div>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : list.data.items.length === 0 ? (
          <EmptyState icon={debounced ? 'search' : 'resource'} title={debounced ? 'No matches' : 'No API resources'}>
            {debounced ? `No API resource matches “${debounced}”.` : 'Create one for each API that accepts Sigil tokens.'}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table">
                <thead><tr><th>Name</th><th>Indicator</th><th>Token</th><th>Scopes</th></tr></thead>
                <tbody>
                  {list.data.items.map((r) => (
                    <tr key={r.id}>
                      <td className="primary-cell">
                        <Link href={`/console/resources/${r.id}`}>{r.name}</Link>{' '}
                        {r.isBuiltIn ? <Badge>built-in</Badge> : null} {r.isDefault ? <Badge tone="accent">default</Badge> : null}
                      </td>
                      <td data-label="Indicator" className="mono small">{r.indicator}</td>
                      <td data-label="Token" className="small">{r.tokenFormat.toUpperCase()} · {formatTtl(r.accessTokenTtl)}</td>
                      <td data-label="Scopes">{r.scopes?.length ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
          </>
        )}
      </Card>
      <CreateResource open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateResource({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const empty = { name: '', indicator: '', ttl: '3600', tokenFormat: 'jwt' as 'jwt' | 'opaque', isDefault: false };
  const [form, setForm] = useState(empty);
  const create = useMutation(
    trpc.resources.create.mutationOptions({
      onSuccess: async (resource) => {
        await queryClient.invalidateQueries({ queryKey: trpc.resources.pathKey() });
        setForm(empty);
        router.push(`/console/resources/${resource.id}`);
      },
    }),
  );
  const close = () => (create.reset(), onClose());
  const known = ['name', 'indicator', 'accessTokenTtl', 'tokenFormat', 'isDefault'];
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create API resource"
      onSubmit={() => create.mutate({ name: form.name, indicator: form.indicator, accessTokenTtl: Number(form.ttl), tokenFormat: form.tokenFormat, isDefault: form.isDefault })}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Create</Button></>}
    >
      <Field label="Name" error={fieldProblem(create.error, 'name')}>
        {(p) => <input {...p} required autoFocus maxLength={256} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="e.g. Orders API" />}
      </Field>
      <Field label="Resource indicator" hint="An absolute URI naming the API, e.g. https://api.example.com/orders. It cannot be changed later." error={fieldProblem(create.error, 'indicator')}>
        {(p) => <input {...p} required type="text" inputMode="url" value={form.indicator} onChange={(e) => setForm({ ...form, indicator: e.target.value })} placeholder="https://api.example.com" />}
      </Field>
      <TokenFields form={form} setForm={(f) => setForm({ ...form, ...f })} error={create.error} />
      {create.error && !known.some((k) => fieldProblem(create.error, k)) ? <ErrorNotice error={create.error} /> : null}
    </Dialog>
  );
}
