'use client';
// One role: its settings, its scopes (picked across resources), and who holds it: applications for a
// machine-to-machine role, users for a user role.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { DeleteCard } from '../../../_components/delete-card';
import { Badge, Button, Card, ErrorNotice, Field, Loading, Notice, PageHeader } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { ROLE_TYPE_LABELS } from '../../../_lib/labels';
import { useTRPC } from '../../../_lib/trpc';
import { RoleApplications, RoleUsers } from './holders';
import { RoleScopes } from './scopes';

export default function RolePage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const role = useQuery(trpc.roles.get.queryOptions({ id }));
  if (role.isPending) return <Loading />;
  if (role.error) {
    return (
      <>
        <PageHeader title="Role" back={{ href: '/console/roles', label: 'Roles' }} />
        <ErrorNotice error={role.error} />
      </>
    );
  }
  const r = role.data;
  return (
    <>
      <PageHeader
        title={r.name}
        back={{ href: '/console/roles', label: 'Roles' }}
        description={<Badge tone={r.type === 'MachineToMachine' ? 'accent' : 'neutral'}>{ROLE_TYPE_LABELS[r.type]} role</Badge>}
      />
      <Settings id={r.id} name={r.name} description={r.description} />
      <RoleScopes id={r.id} />
      {r.type === 'MachineToMachine' ? <RoleApplications id={r.id} /> : <RoleUsers id={r.id} />}
      <DangerZone id={r.id} name={r.name} />
    </>
  );
}

function Settings({ id, name, description }: { id: string; name: string; description: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name, description });
  useEffect(() => setForm({ name, description }), [name, description]);
  const update = useMutation(trpc.roles.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() }) }));
  const dirty = form.name !== name || form.description !== description;
  return (
    <Card title="Settings">
      <form className="stack" onSubmit={(e) => (e.preventDefault(), update.mutate({ id, ...form }))}>
        <div className="form-grid">
          <Field label="Name" error={fieldProblem(update.error, 'name')}>
            {(p) => <input {...p} required maxLength={128} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Description" error={fieldProblem(update.error, 'description')}>
            {(p) => <input {...p} maxLength={2048} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
          </Field>
        </div>
        {update.error && !fieldProblem(update.error, 'name') && !fieldProblem(update.error, 'description') ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div><Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save</Button></div>
      </form>
    </Card>
  );
}

function DangerZone({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.roles.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.roles.pathKey() });
        router.push('/console/roles');
      },
    }),
  );
  return (
    <DeleteCard noun="role" description="Everyone holding the role loses its scopes for new tokens." name={name} remove={{ ...remove, mutate: () => remove.mutate({ id }) }}>
      <p>This deletes <strong>{name}</strong> and removes it from every application and user. It cannot be undone.</p>
    </DeleteCard>
  );
}
