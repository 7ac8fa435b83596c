'use client';
// Administrators: who can sign in to this console; add one, remove one, change your own password.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../_components/dialog';
import { Button, Card, ErrorNotice, Field, Loading, Notice, PageHeader, formatTime } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';

export default function AdministratorsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.admin.me.queryOptions());
  const list = useQuery(trpc.admin.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.list.queryKey() });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const remove = useMutation(trpc.admin.delete.mutationOptions({ onSuccess: () => (setRemoving(null), refresh()) }));

  return (
    <>
      <PageHeader
        title="Administrators"
        description="People who can sign in to this console. Every change they make is recorded in the audit log."
        actions={<Button variant="primary" icon="plus" onClick={() => setAdding(true)}>Add administrator</Button>}
      />
      <Card>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th>Email</th><th>Created</th><th>Last sign-in</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {list.data.map((a) => (
                  <tr key={a.id}>
                    <td className="primary-cell">
                      {a.email} {a.id === me.data?.id ? <span className="badge badge-accent">you</span> : null}
                    </td>
                    <td data-label="Created">{formatTime(a.createdAt)}</td>
                    <td data-label="Last sign-in">{formatTime(a.lastSignInAt)}</td>
                    <td className="actions">
                      {a.id !== me.data?.id ? (
                        <Button variant="ghost" icon="trash" onClick={() => (remove.reset(), setRemoving(a))} aria-label={`Remove ${a.email}`}>Remove</Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <ChangePassword />
      <AddAdministrator open={adding} onClose={() => setAdding(false)} onAdded={refresh} />
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove administrator"
        confirmLabel="Remove"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate({ id: removing.id })}
      >
        <p>
          <strong>{removing?.email}</strong> will no longer be able to sign in; an open session ends at its next request.
        </p>
      </ConfirmDialog>
    </>
  );
}

function AddAdministrator({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const create = useMutation(
    trpc.admin.create.mutationOptions({
      onSuccess: () => {
        onAdded();
        setEmail('');
        setPassword('');
        onClose();
      },
    }),
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add administrator"
      onSubmit={() => create.mutate({ email, password })}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" busy={create.isPending}>Add</Button></>}
    >
      <p className="muted">Share the password with them over a safe channel; they can change it after signing in.</p>
      <Field label="Email" error={fieldProblem(create.error, 'email')}>
        {(p) => <input {...p} type="email" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Initial password" hint="At least 12 characters." error={fieldProblem(create.error, 'password')}>
        {(p) => <input {...p} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      {create.error && !fieldProblem(create.error, 'email') && !fieldProblem(create.error, 'password') ? <ErrorNotice error={create.error} /> : null}
    </Dialog>
  );
}

function ChangePassword() {
  const trpc = useTRPC();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation(trpc.admin.changePassword.mutationOptions({ onSuccess: () => (setCurrent(''), setNew('')) }));
  return (
    <Card title="Your password">
      <form
        className="stack"
        style={{ maxWidth: 420 }}
        onSubmit={(e) => {
          e.preventDefault();
          change.mutate({ currentPassword, newPassword });
        }}
      >
        <Field label="Current password" error={fieldProblem(change.error, 'currentPassword')}>
          {(p) => <input {...p} type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />}
        </Field>
        <Field label="New password" hint="At least 12 characters." error={fieldProblem(change.error, 'newPassword')}>
          {(p) => <input {...p} type="password" autoComplete="new-password" required value={newPassword} onChange={(e) => setNew(e.target.value)} />}
        </Field>
        {change.isSuccess ? <Notice kind="success">Password changed.</Notice> : null}
        <div><Button type="submit" variant="primary" busy={change.isPending}>Change password</Button></div>
      </form>
    </Card>
  );
}
