'use client';
// Where the user is signed in: live sessions (browsers with single sign-on) and grants (apps holding an
// authorization, with refresh tokens), and "Sign out everywhere", which ends all of them at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmDialog } from '../../../_components/dialog';
import { Button, Card, ErrorNotice, Loading, Notice, formatTime } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';

export function SignInsCard({ userId, label }: { userId: string; label: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const signIns = useQuery(trpc.signIn.userSignIns.queryOptions({ userId }));
  const [confirming, setConfirming] = useState(false);
  const signOut = useMutation(trpc.signIn.signOutEverywhere.mutationOptions({
    onSuccess: async () => (setConfirming(false), await queryClient.invalidateQueries({ queryKey: trpc.signIn.userSignIns.queryKey({ userId }) })),
  }));
  const empty = signIns.data && signIns.data.sessions.length === 0 && signIns.data.grants.length === 0;
  return (
    <Card
      title="Sessions and apps"
      description="Browsers where the user is signed in, and apps that hold an authorization (refresh tokens) for them."
      actions={<Button variant="danger" icon="logout" disabled={!signIns.data || empty} onClick={() => (signOut.reset(), setConfirming(true))}>Sign out everywhere</Button>}
    >
      {signIns.isPending ? <Loading /> : signIns.error ? <ErrorNotice error={signIns.error} /> : (
        <div className="stack">
          {signOut.isSuccess ? <Notice kind="success">Signed out everywhere: every session, grant and refresh token of this user was revoked.</Notice> : null}
          {empty ? <p className="muted">Not signed in anywhere.</p> : null}
          {signIns.data.sessions.length ? (
            <div className="table-wrap">
              <table className="table" aria-label="Sessions">
                <thead><tr><th>Session</th><th>Signed in</th><th>Expires</th><th>IP address</th><th>Browser</th></tr></thead>
                <tbody>
                  {signIns.data.sessions.map((s) => (
                    <tr key={s.id}>
                      <td className="primary-cell mono small">{s.id}</td>
                      <td data-label="Signed in">{formatTime(s.authTime)}</td>
                      <td data-label="Expires">{formatTime(s.expiresAt)}</td>
                      <td data-label="IP address" className="mono small">{s.ip ?? '—'}</td>
                      <td data-label="Browser" className="muted small">{s.userAgent ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {signIns.data.grants.length ? (
            <div className="table-wrap">
              <table className="table" aria-label="Apps">
                <thead><tr><th>App</th><th>Scopes</th><th>Granted</th><th>Last used</th><th>Last IP address</th></tr></thead>
                <tbody>
                  {signIns.data.grants.map((g) => (
                    <tr key={g.id}>
                      <td className="primary-cell"><Link href={`/console/applications/${g.applicationId}`}>{g.applicationName}</Link></td>
                      <td data-label="Scopes" className="mono small">{g.scopes.join(' ') || '—'}</td>
                      <td data-label="Granted">{formatTime(g.createdAt)}</td>
                      <td data-label="Last used">{formatTime(g.lastUsedAt)}</td>
                      <td data-label="Last IP address" className="mono small">{g.lastUsedIp ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      )}
      <ConfirmDialog open={confirming} onClose={() => setConfirming(false)} title="Sign out everywhere" confirmLabel="Sign out everywhere" busy={signOut.isPending} error={signOut.error} onConfirm={() => signOut.mutate({ userId })}>
        <p>This ends every session of <strong>{label}</strong> and revokes every app&apos;s grant and refresh tokens, so each app must send them through sign-in again. Access tokens already issued as JWTs stay valid until they expire. The account stays active.</p>
      </ConfirmDialog>
    </Card>
  );
}
