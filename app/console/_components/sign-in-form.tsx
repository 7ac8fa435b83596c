'use client';
// Console sign-in through next-auth's Credentials provider (it fetches and sends the CSRF token).
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Logo } from './shell';
import { Button, Field } from './ui';

/** next-auth's error codes, or our own message (throttling) passed through as the code. */
export function signInErrorText(error: string): string {
  if (error === 'CredentialsSignin') return 'The email or password is incorrect.';
  if (error === 'Configuration' || error === 'Callback') return 'Sign-in is unavailable right now; see the server log.';
  return error;
}

export async function signInWithPassword(email: string, password: string): Promise<string | null> {
  const result = await signIn('credentials', { email, password, redirect: false });
  if (!result) return 'Sign-in did not answer; try again.';
  if (result.error) return signInErrorText(result.error);
  return result.ok ? null : 'Sign-in failed; try again.';
}

export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: string; children: React.ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <Logo /> <span>Sigil</span>
        </div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
        {children}
      </div>
    </main>
  );
}

export function SignInForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <AuthCard title="Sign in to the console" subtitle="Administrators only.">
      <form
        className="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const problem = await signInWithPassword(email, password).catch(() => 'The server could not be reached.');
          if (problem) {
            setError(problem);
            setBusy(false);
            return;
          }
          window.location.assign('/console');
        }}
      >
        <Field label="Email">
          {(p) => <input {...p} type="email" name="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password">
          {(p) => <input {...p} type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        {error ? (
          <div className="notice notice-error" role="alert" data-testid="sign-in-error">
            {error}
          </div>
        ) : null}
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
