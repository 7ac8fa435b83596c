'use client';
// Account state: suspend or reactivate, set a password, delete.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmDialog, Dialog } from '../../../_components/dialog';
import { Button, Card, ErrorNotice, Field, Notice } from '../../../_components/ui';
import { fieldProblem } from '../../../_lib/errors';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';

type User = RouterOutputs['users']['get'];

export function AccountCard({ user }: { user: User }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [settingPassword, setSettingPassword] = useState(false);
  const suspend = useMutation(trpc.users.setSuspended.mutationOptions({ onSuccess: async () => (setConfirming(false), await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() })) }));
  return (
    <Card title="Account">
      <div className="stack">
        <div className="spread">
          <div>
            <p><strong>{user.isSuspended ? 'Suspended' : 'Active'}</strong></p>
            <p className="muted small">{user.isSuspended ? 'No new tokens are issued for this user.' : 'Suspending stops new tokens from being issued for this user.'}</p>
          </div>
          {user.isSuspended ? (
            <Button busy={suspend.isPending} onClick={() => suspend.mutate({ userId: user.id, isSuspended: false })}>Reactivate</Button>
          ) : (
            <Button variant="danger" onClick={() => (suspend.reset(), setConfirming(true))}>Suspend</Button>
          )}
        </div>
        {user.isSuspended ? <ErrorNotice error={suspend.error} /> : null}
        <div className="spread">
          <div>
            <p><strong>Password</strong></p>
            <p className="muted small">{user.hasPassword ? 'The user has a password.' : 'The user has no password.'}</p>
          </div>
          <Button onClick={() => setSettingPassword(true)}>{user.hasPassword ? 'Change password' : 'Set password'}</Button>
        </div>
      </div>
      <ConfirmDialog open={confirming} onClose={() => setConfirming(false)} title="Suspend user" confirmLabel="Suspend" busy={suspend.isPending} error={suspend.error} onConfirm={() => suspend.mutate({ userId: user.id, isSuspended: true })}>
        <p>No new tokens will be issued for this user until you reactivate them.</p>
      </ConfirmDialog>
      {settingPassword ? <SetPassword id={user.id} onClose={() => setSettingPassword(false)} /> : null}
    </Card>
  );
}

function SetPassword({ id, onClose }: { id: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const set = useMutation(trpc.users.setPassword.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }) }));
  return (
    <Dialog
      open
      onClose={onClose}
      title="Set password"
      onSubmit={() => set.mutate({ userId: id, password })}
      footer={set.isSuccess ? <Button variant="primary" onClick={onClose}>Done</Button> : <><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" busy={set.isPending}>Set password</Button></>}
    >
      {set.isSuccess ? <Notice kind="success">Password set.</Notice> : (
        <Field label="New password" error={fieldProblem(set.error, 'password')}>
          {(p) => <input {...p} type="password" autoComplete="new-password" required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
      )}
      {set.error && !fieldProblem(set.error, 'password') ? <ErrorNotice error={set.error} /> : null}
    </Dialog>
  );
}

export function DeleteUserCard({ id, label }: { id: string; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(trpc.users.delete.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
      router.push('/console/users');
    },
  }));
  return (
    <Card title="Delete user" description="Removes the user, their roles and custom data.">
      <Button variant="danger" icon="trash" onClick={() => (remove.reset(), setOpen(true))}>Delete user</Button>
      <ConfirmDialog open={open} onClose={() => setOpen(false)} title="Delete user" confirmLabel="Delete" typeToConfirm={label} busy={remove.isPending} error={remove.error} onConfirm={() => remove.mutate({ userId: id })}>
        <p>This deletes <strong>{label}</strong>. It cannot be undone.</p>
      </ConfirmDialog>
    </Card>
  );
}
