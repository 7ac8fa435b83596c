'use client';
// Fresh install: create the first administrator (the server refuses once one exists), then sign in.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldProblem, problemOf } from '../_lib/errors';
import { useTRPC } from '../_lib/trpc';
import { AuthCard, signInWithPassword } from './sign-in-form';
import { Button, Field } from './ui';

export function FirstAdministrator() {
  const trpc = useTRPC();
  const create = useMutation(trpc.admin.createFirst.mutationOptions());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [signInError, setSignInError] = useState<string | null>(null);
  const tooShort = password.length > 0 && password.length < 12;
  const mismatch = confirm.length > 0 && confirm !== password;
  const other = create.error && !fieldProblem(create.error, 'email') && !fieldProblem(create.error, 'password') ? problemOf(create.error) : null;

  return (
    <AuthCard title="Create the first administrator" subtitle="This Sigil has no administrator yet. The account you create here can sign in to the console and add others. This screen disappears once it exists.">
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setTouched(true);
          if (password.length < 12 || password !== confirm) return;
          setSignInError(null);
          try {
            await create.mutateAsync({ email, password });
          } catch {
            return; // shown below
          }
          const problem = await signInWithPassword(email, password);
          if (problem) return setSignInError(problem);
          window.location.assign('/console');
        }}
      >
        <Field label="Email" error={fieldProblem(create.error, 'email')}>
          {(p) => <input {...p} type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password" hint="At least 12 characters." error={fieldProblem(create.error, 'password') ?? (tooShort && touched ? 'Use at least 12 characters.' : undefined)}>
          {(p) => <input {...p} type="password" name="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <Field label="Confirm password" error={mismatch ? 'The passwords do not match.' : undefined}>
          {(p) => <input {...p} type="password" name="confirm" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
        </Field>
        {other ? <div className="notice notice-error" role="alert">{other.message}</div> : null}
        {signInError ? <div className="notice notice-error" role="alert">The account was created, but signing in failed: {signInError}</div> : null}
        <Button type="submit" variant="primary" busy={create.isPending} className="btn-block">
          Create administrator
        </Button>
      </form>
    </AuthCard>
  );
}
