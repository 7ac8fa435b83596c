'use client';
// One API resource: token settings, scopes, deletion. The built-in Management API is read-only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { DeleteCard } from '../../../_components/delete-card';
import { Badge, Button, Card, CopyField, ErrorNotice, Field, Loading, Notice, PageHeader } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';
import { TokenFields } from '../token-fields';
import { ScopesCard } from './scopes';

type Resource = RouterOutputs['resources']['get'];

export default function ResourcePage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const resource = useQuery(trpc.resources.get.queryOptions({ id }));
  if (resource.isPending) return <Loading />;
  if (resource.error) {
    return (
      <>
        <PageHeader title="API resource" back={{ href: '/console/resources', label: 'API resources' }} />
        <ErrorNotice error={resource.error} />
      </>
    );
  }
  const r = resource.data;
  return (
    <>
      <PageHeader
        title={r.name}
        back={{ href: '/console/resources', label: 'API resources' }}
        description={<span className="row">{r.isBuiltIn ? <Badge>built-in</Badge> : null}{r.isDefault ? <Badge tone="accent">default</Badge> : null}</span>}
      />
      {r.isBuiltIn ? (
        <Notice kind="info">This is Sigil&apos;s own Management API. It is read-only: grant access to it by assigning the “Management API access” role (or a role with its scopes) to an application.</Notice>
      ) : null}
      <div className="grid-2" style={{ marginTop: r.isBuiltIn ? 18 : 0 }}>
        <SettingsCard resource={r} />
        <Card title="Identifier">
          <CopyField label="Resource indicator (the token's audience)" value={r.indicator} testId="resource-indicator" />
        </Card>
      </div>
      <ScopesCard resourceId={r.id} scopes={r.scopes ?? []} readOnly={r.isBuiltIn} />
      {r.isBuiltIn ? null : <DangerZone id={r.id} name={r.name} />}
    </>
  );
}

function SettingsCard({ resource: r }: { resource: Resource }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const initial = { name: r.name, ttl: String(r.accessTokenTtl), tokenFormat: r.tokenFormat, isDefault: r.isDefault };
  const [form, setForm] = useState(initial);
  useEffect(() => setForm({ name: r.name, ttl: String(r.accessTokenTtl), tokenFormat: r.tokenFormat, isDefault: r.isDefault }), [r.name, r.accessTokenTtl, r.tokenFormat, r.isDefault]);
  const update = useMutation(trpc.resources.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.resources.pathKey() }) }));
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const known = ['name', 'accessTokenTtl', 'tokenFormat', 'isDefault'];
  return (
    <Card title="Settings">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: r.id, name: form.name, accessTokenTtl: Number(form.ttl), tokenFormat: form.tokenFormat, isDefault: form.isDefault });
        }}
      >
        <Field label="Name" error={fieldProblem(update.error, 'name')}>
          {(p) => <input {...p} required maxLength={256} disabled={r.isBuiltIn} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <TokenFields form={form} setForm={(f) => setForm({ ...form, ...f })} error={update.error} disabled={r.isBuiltIn} />
        {update.error && !known.some((k) => fieldProblem(update.error, k)) ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        {r.isBuiltIn ? null : <div><Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save</Button></div>}
      </form>
    </Card>
  );
}

function DangerZone({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.resources.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.resources.pathKey() });
        router.push('/console/resources');
      },
    }),
  );
  return (
    <DeleteCard noun="API resource" description="Its scopes are removed from every role; new tokens can no longer be issued for it." name={name} remove={{ ...remove, mutate: () => remove.mutate({ id }) }}>
      <p>This deletes <strong>{name}</strong> and all of its scopes. It cannot be undone.</p>
    </DeleteCard>
  );
}
