'use client';
// A resource's scopes: add inline, edit in a dialog, delete after confirmation.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Button, Card, EmptyState, ErrorNotice, Field } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';

type Scope = NonNullable<RouterOutputs['resources']['get']['scopes']>[number];

export function ScopesCard({ resourceId, scopes, readOnly }: { resourceId: string; scopes: Scope[]; readOnly: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.resources.pathKey() });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [editing, setEditing] = useState<Scope | null>(null);
  const [deleting, setDeleting] = useState<Scope | null>(null);
  const create = useMutation(trpc.resources.createScope.mutationOptions({ onSuccess: async () => (setName(''), setDescription(''), await refresh()) }));
  const remove = useMutation(trpc.resources.deleteScope.mutationOptions({ onSuccess: async () => (setDeleting(null), await refresh()) }));

  return (
    <Card title="Scopes" description="Permissions this API defines; roles grant them to applications and users.">
      {readOnly ? null : (
        <form
          className="form-grid"
          style={{ alignItems: 'end', marginBottom: 14 }}
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ resourceId, name: name.trim(), description: description.trim() || null });
          }}
        >
          <Field label="Scope name" error={fieldProblem(create.error, 'name')}>
            {(p) => <input {...p} required maxLength={256} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. read:orders" />}
          </Field>
          <Field label="Description" error={fieldProblem(create.error, 'description')}>
            {(p) => <input {...p} maxLength={2048} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Optional" />}
          </Field>
          <div><Button type="submit" icon="plus" busy={create.isPending}>Add scope</Button></div>
        </form>
      )}
      {create.error && !fieldProblem(create.error, 'name') && !fieldProblem(create.error, 'description') ? <ErrorNotice error={create.error} /> : null}
      {scopes.length === 0 ? (
        <EmptyState icon="key" title="No scopes yet">Tokens for this API can still be issued, without scopes.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Scopes">
            <thead><tr><th>Name</th><th>Description</th>{readOnly ? null : <th><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {scopes.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.name}</td>
                  <td data-label="Description" className="muted">{s.description || '—'}</td>
                  {readOnly ? null : (
                    <td className="actions">
                      <Button variant="ghost" onClick={() => setEditing(s)} aria-label={`Edit scope ${s.name}`}>Edit</Button>
                      <Button variant="ghost" icon="trash" onClick={() => (remove.reset(), setDeleting(s))} aria-label={`Delete scope ${s.name}`}>Delete</Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? <EditScope resourceId={resourceId} scope={editing} onClose={() => setEditing(null)} onSaved={refresh} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete scope"
        confirmLabel="Delete"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ resourceId, scopeId: deleting.id })}
      >
        <p>Roles lose <code>{deleting?.name}</code>; new tokens will not carry it.</p>
      </ConfirmDialog>
    </Card>
  );
}

function EditScope({ resourceId, scope, onClose, onSaved }: { resourceId: string; scope: Scope; onClose: () => void; onSaved: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [name, setName] = useState(scope.name);
  const [description, setDescription] = useState(scope.description ?? '');
  const update = useMutation(trpc.resources.updateScope.mutationOptions({ onSuccess: async () => (await onSaved(), onClose()) }));
  return (
    <Dialog
      open
      onClose={onClose}
      title="Edit scope"
      onSubmit={() => update.mutate({ resourceId, scopeId: scope.id, name: name.trim(), description: description.trim() || null })}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" busy={update.isPending}>Save</Button></>}
    >
      <Field label="Scope name" hint="Renaming changes what clients must request." error={fieldProblem(update.error, 'name')}>
        {(p) => <input {...p} required autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Description" error={fieldProblem(update.error, 'description')}>
        {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {update.error && !fieldProblem(update.error, 'name') ? <ErrorNotice error={update.error} /> : null}
    </Dialog>
  );
}
