'use client';
// One application: settings, credentials and secrets, M2M roles, token exchange, a ready-to-run token
// request, and deletion.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { DeleteCard } from '../../../_components/delete-card';
import { Badge, Button, Card, CopyField, ErrorNotice, Field, Loading, Notice, PageHeader, Switch } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { APPLICATION_TYPE_LABELS } from '../../../_lib/labels';
import { useTRPC } from '../../../_lib/trpc';
import { RolesCard } from './roles';
import { SecretsCard } from './secrets';
import { TokenRequestCard } from './token-request';

export default function ApplicationPage() {
  const { id } = useParams<{ id: string }>();
  const trpc = useTRPC();
  const detail = useQuery(trpc.applications.get.queryOptions({ id }));
  const secrets = useQuery(trpc.applications.secrets.queryOptions({ id }));
  const roles = useQuery(trpc.applications.roles.queryOptions({ applicationId: id, page_size: 100 }));

  if (detail.isPending || secrets.isPending || roles.isPending) return <Loading />;
  if (detail.error || secrets.error || roles.error) {
    return (
      <>
        <PageHeader title="Application" back={{ href: '/console/applications', label: 'Applications' }} />
        <ErrorNotice error={detail.error ?? secrets.error ?? roles.error} />
      </>
    );
  }
  const application = detail.data;
  const isM2M = application.type === 'MachineToMachine';
  return (
    <>
      <PageHeader
        title={application.name}
        back={{ href: '/console/applications', label: 'Applications' }}
        description={<Badge tone={isM2M ? 'accent' : 'neutral'}>{APPLICATION_TYPE_LABELS[application.type] ?? application.type}</Badge>}
      />
      <div className="grid-2">
        <SettingsCard id={id} name={application.name} description={application.description} />
        <Card title="Credentials" description="Use these with HTTP Basic authentication at the token endpoint.">
          <div className="stack">
            <CopyField label="App ID (client_id)" value={application.id} testId="app-id" />
            <TokenEndpoint />
          </div>
        </Card>
      </div>
      <SecretsCard id={id} secrets={secrets.data} />
      {isM2M ? <RolesCard id={id} roles={roles.data.items} /> : null}
      <TokenExchangeCard id={id} enabled={application.customClientMetadata.allowTokenExchange === true} thirdParty={application.isThirdParty} />
      {isM2M ? <TokenRequestCard id={id} /> : null}
      <DangerZone id={id} name={application.name} />
    </>
  );
}

function TokenEndpoint() {
  const trpc = useTRPC();
  const info = useQuery(trpc.meta.info.queryOptions());
  return info.data ? <CopyField label="Token endpoint" value={`${info.data.issuer}/token`} /> : null;
}

function SettingsCard({ id, name, description }: { id: string; name: string; description: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name, description: description ?? '' });
  useEffect(() => setForm({ name, description: description ?? '' }), [name, description]);
  const update = useMutation(trpc.applications.update.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() }) }));
  const dirty = form.name !== name || form.description !== (description ?? '');
  return (
    <Card title="Settings">
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id, name: form.name, description: form.description || null });
        }}
      >
        <Field label="Name" error={fieldProblem(update.error, 'name')}>
          {(p) => <input {...p} required maxLength={256} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label="Description" error={fieldProblem(update.error, 'description')}>
          {(p) => <textarea {...p} rows={2} maxLength={2048} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}
        </Field>
        {update.error && !fieldProblem(update.error, 'name') && !fieldProblem(update.error, 'description') ? <ErrorNotice error={update.error} /> : null}
        {update.isSuccess && !dirty ? <Notice kind="success">Saved.</Notice> : null}
        <div><Button type="submit" variant="primary" disabled={!dirty} busy={update.isPending}>Save</Button></div>
      </form>
    </Card>
  );
}

function TokenExchangeCard({ id, enabled, thirdParty }: { id: string; enabled: boolean; thirdParty: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The switch moves at once; a refused change moves it back and says why.
  const [on, setOn] = useState(enabled);
  useEffect(() => setOn(enabled), [enabled]);
  const update = useMutation(
    trpc.applications.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() }),
      onError: () => setOn(enabled),
    }),
  );
  return (
    <Card title="Token exchange">
      <Switch
        label="Allow token exchange"
        description="Lets this application exchange a subject token for an access token (RFC 8693). Off by default."
        checked={on}
        disabled={update.isPending || thirdParty}
        onChange={(allowTokenExchange) => {
          setOn(allowTokenExchange);
          update.mutate({ id, customClientMetadata: { allowTokenExchange } });
        }}
      />
      {thirdParty ? <p className="muted small">Third-party applications cannot use token exchange.</p> : null}
      <ErrorNotice error={update.error} />
    </Card>
  );
}

function DangerZone({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.applications.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.applications.pathKey() });
        router.push('/console/applications');
      },
    }),
  );
  return (
    <DeleteCard noun="application" description="Its secrets stop working at once; tokens it already holds stay valid until they expire." name={name} remove={{ ...remove, mutate: () => remove.mutate({ id }) }}>
      <p>This deletes <strong>{name}</strong>, its secrets and its role assignments. It cannot be undone.</p>
    </DeleteCard>
  );
}
