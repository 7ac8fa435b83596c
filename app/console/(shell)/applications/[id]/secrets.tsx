'use client';
// Named secrets: add one (optionally expiring; its value is shown once), revoke one after confirmation.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Badge, Button, Card, CopyField, EmptyState, ErrorNotice, Field, Notice, formatTime } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';

type Secret = RouterOutputs['applications']['secrets'][number];
const DAY = 86_400_000;
const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In 1 year' },
  { value: 'date', label: 'On a date…' },
];

export function SecretsCard({ id, secrets }: { id: string; secrets: Secret[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<Secret | null>(null);
  const revoke = useMutation(
    trpc.applications.deleteSecret.mutationOptions({
      onSuccess: async () => {
        setRevoking(null);
        await queryClient.invalidateQueries({ queryKey: trpc.applications.secrets.queryKey({ id }) });
      },
    }),
  );
  const now = Date.now();
  return (
    <Card
      title="Secrets"
      description="Any unexpired secret authenticates the application; add a new one before revoking an old one to rotate without downtime."
      actions={<Button icon="plus" onClick={() => setAdding(true)}>Add secret</Button>}
    >
      {secrets.length === 0 ? (
        <EmptyState icon="key" title="No secrets">This application cannot authenticate until you add one.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th>Name</th><th>Value</th><th>Created</th><th>Expires</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {secrets.map((s) => (
                <tr key={s.name}>
                  <td className="primary-cell">{s.name}</td>
                  <td data-label="Value" className="mono small">{s.prefix}…</td>
                  <td data-label="Created" className="small">{formatTime(s.createdAt)}</td>
                  <td data-label="Expires" className="small">
                    {s.expiresAt === null ? <span className="muted">Never</span> : s.expiresAt <= now ? <Badge tone="danger">Expired {formatTime(s.expiresAt)}</Badge> : formatTime(s.expiresAt)}
                  </td>
                  <td className="actions">
                    <Button variant="ghost" icon="trash" aria-label={`Revoke secret ${s.name}`} onClick={() => (revoke.reset(), setRevoking(s))}>Revoke</Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddSecret id={id} open={adding} onClose={() => setAdding(false)} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke secret"
        confirmLabel="Revoke"
        busy={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate({ id, name: revoking.name })}
      >
        <p>Token requests with <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>) fail from now on. Tokens already issued stay valid until they expire.</p>
      </ConfirmDialog>
    </Card>
  );
}

function AddSecret({ id, open, onClose }: { id: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('never');
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const add = useMutation(trpc.applications.addSecret.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.applications.secrets.queryKey({ id }) }) }));
  const close = () => {
    add.reset();
    setName('');
    setExpiry('never');
    setDate('');
    setDateError(null);
    onClose();
  };

  if (add.data) {
    return (
      <Dialog open={open} onClose={close} title="Secret added" footer={<Button variant="primary" onClick={close}>Done</Button>}>
        <Notice kind="warning">Copy the secret now: it is shown only once.</Notice>
        <CopyField label={`Secret “${add.data.name}”`} value={add.data.value} testId="new-secret-value" />
        {add.data.expiresAt ? <p className="muted small">Expires {formatTime(add.data.expiresAt)}.</p> : null}
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Add secret"
      onSubmit={() => {
        let expiresAt: number | null = null;
        if (expiry === 'date') {
          const at = date ? new Date(`${date}T23:59:59`).getTime() : NaN;
          if (!Number.isFinite(at) || at <= Date.now()) return setDateError('Pick a date in the future.');
          expiresAt = at;
        } else if (expiry !== 'never') {
          expiresAt = Date.now() + Number(expiry) * DAY;
        }
        setDateError(null);
        add.mutate({ id, name, expiresAt });
      }}
      footer={<><Button onClick={close}>Cancel</Button><Button type="submit" variant="primary" busy={add.isPending}>Add secret</Button></>}
    >
      <Field label="Name" hint="Tells secrets apart, e.g. where it is deployed." error={fieldProblem(add.error, 'name')}>
        {(p) => <input {...p} required autoFocus maxLength={256} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. production-2025" />}
      </Field>
      <Field label="Expires" error={fieldProblem(add.error, 'expiresAt')}>
        {(p) => (
          <select {...p} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        )}
      </Field>
      {expiry === 'date' ? (
        <Field label="Expiry date" error={dateError ?? undefined}>
          {(p) => <input {...p} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />}
        </Field>
      ) : null}
      {add.error && !fieldProblem(add.error, 'name') && !fieldProblem(add.error, 'expiresAt') ? <ErrorNotice error={add.error} /> : null}
    </Dialog>
  );
}
