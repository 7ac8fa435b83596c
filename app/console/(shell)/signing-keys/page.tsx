'use client';
// Signing keys: which key signs tokens now, which one takes over and when, which one still verifies older
// tokens; rotate (at once or after a grace period) and delete a Previous key.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ConfirmDialog, Dialog } from '../../_components/dialog';
import { Badge, Button, Card, CopyButton, ErrorNotice, Field, Loading, Notice, PageHeader, formatTime } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';

type Algorithm = 'EC-P256' | 'EC-P384' | 'RSA-2048' | 'RSA-4096' | 'Ed25519';
type Key = { id: string; status: 'Next' | 'Current' | 'Previous'; algorithm: Algorithm; alg: string; createdAt: number; effectiveAt: number; retiredAt?: number };

const ALGORITHMS: Array<{ value: Algorithm; label: string }> = [
  { value: 'EC-P256', label: 'EC P-256 (ES256) — default' },
  { value: 'EC-P384', label: 'EC P-384 (ES384)' },
  { value: 'RSA-2048', label: 'RSA 2048 (RS256)' },
  { value: 'RSA-4096', label: 'RSA 4096 (RS256)' },
  { value: 'Ed25519', label: 'Ed25519 (EdDSA)' },
];
const UNITS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;
type Unit = keyof typeof UNITS;
const MAX_GRACE = 30 * 86400;

/** "3 days", "5 minutes", "12 seconds": the largest unit that fits. */
function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]] as const) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${s} second${s === 1 ? '' : 's'}`;
}

const TONE = { Next: 'warning', Current: 'success', Previous: 'neutral' } as const;

export default function SigningKeysPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery({
    ...trpc.signingKeys.list.queryOptions({}),
    // While a Next key is pending, follow the countdown and show the switch when it happens.
    refetchInterval: (q) => (q.state.data?.some((k) => k.status === 'Next') ? 1000 : false),
  });
  const jwksMaxAge = useQuery({ ...trpc.signingKeys.jwksMaxAge.queryOptions(), refetchInterval: list.data?.some((k) => k.status === 'Next') ? 1000 : false });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.signingKeys.pathKey() });
  const [rotating, setRotating] = useState(false);
  const [deleting, setDeleting] = useState<Key | null>(null);
  const remove = useMutation(trpc.signingKeys.delete.mutationOptions({ onSuccess: () => (setDeleting(null), refresh()) }));
  const now = useNow();
  const keys = (list.data ?? []) as Key[];
  const current = keys.find((k) => k.status === 'Current');

  return (
    <>
      <PageHeader
        title="Signing keys"
        description={
          <>
            Access tokens are signed with the <strong>Current</strong> key. The JWKS endpoint publishes every key
            below, so tokens signed by a <strong>Previous</strong> key still verify and a <strong>Next</strong> key is
            known to resource servers before it signs. Private keys are stored encrypted under SIGIL_SECRET.
          </>
        }
        actions={<Button variant="primary" icon="key" onClick={() => setRotating(true)}>Rotate key</Button>}
      />
      <Card>
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNotice error={list.error} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="signing-keys">
              <thead>
                <tr><th>Status</th><th>Key ID (kid)</th><th>Algorithm</th><th>Age</th><th>Signs</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} data-status={k.status}>
                    <td><Badge tone={TONE[k.status]}>{k.status}</Badge></td>
                    <td className="primary-cell" style={{ whiteSpace: 'nowrap' }}>
                      <code title={k.id}>{k.id.slice(0, 12)}…</code> <CopyButton value={k.id} label="Copy kid" />
                    </td>
                    <td data-label="Algorithm">{k.algorithm} <span className="muted">({k.alg})</span></td>
                    <td data-label="Age" style={{ whiteSpace: 'nowrap' }} title={formatTime(k.createdAt * 1000)}>{duration(now - k.createdAt * 1000)}</td>
                    <td data-label="Signs">
                      {k.status === 'Next' ? `in ${duration(k.effectiveAt - now)} (${formatTime(k.effectiveAt)})` : null}
                      {k.status === 'Current' ? `since ${formatTime(k.effectiveAt)}` : null}
                      {k.status === 'Previous' ? `stopped ${formatTime(k.retiredAt ?? k.effectiveAt)}` : null}
                    </td>
                    <td className="actions">
                      {k.status === 'Previous' ? (
                        <Button variant="ghost" icon="trash" onClick={() => (remove.reset(), setDeleting(k))} aria-label={`Delete key ${k.id}`}>Delete</Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {jwksMaxAge.data !== undefined ? (
        <p className="muted">
          JWKS responses may be cached for {jwksMaxAge.data} s now
          {keys.some((k) => k.status === 'Next') ? ' (kept under half the time until the Next key signs).' : '.'}
        </p>
      ) : null}
      <RotateDialog open={rotating} onClose={() => setRotating(false)} onRotated={refresh} currentAlgorithm={current?.algorithm} pending={keys.some((k) => k.status === 'Next')} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete signing key"
        confirmLabel="Delete key"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate({ keyId: deleting.id })}
      >
        <p>
          The Previous key <code>{deleting?.id}</code> leaves the JWKS: tokens it signed will no longer verify, here
          or at resource servers once they refetch. Delete it when no unexpired token signed by it remains.
        </p>
      </ConfirmDialog>
    </>
  );
}

function RotateDialog({ open, onClose, onRotated, currentAlgorithm, pending }: { open: boolean; onClose: () => void; onRotated: () => void; currentAlgorithm?: Algorithm; pending: boolean }) {
  const trpc = useTRPC();
  const [algorithm, setAlgorithm] = useState<Algorithm | ''>('');
  const [amount, setAmount] = useState('10');
  const [unit, setUnit] = useState<Unit>('minutes');
  const rotate = useMutation(trpc.signingKeys.rotate.mutationOptions({ onSuccess: () => (onRotated(), onClose()) }));
  useEffect(() => {
    if (open) {
      rotate.reset();
      setAlgorithm(currentAlgorithm ?? 'EC-P256');
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const seconds = Number(amount) * UNITS[unit];
  const valid = amount.trim() !== '' && Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_GRACE;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Rotate signing key"
      onSubmit={() => valid && rotate.mutate({ signingKeyAlgorithm: algorithm || undefined, rotationGracePeriod: seconds })}
      footer={<><Button onClick={onClose}>Cancel</Button><Button type="submit" variant="primary" disabled={!valid} busy={rotate.isPending}>Rotate</Button></>}
    >
      <Field label="Algorithm" hint="Resource servers must accept the new algorithm before it signs." error={fieldProblem(rotate.error, 'signingKeyAlgorithm')}>
        {(p) => (
          <select {...p} value={algorithm} onChange={(e) => setAlgorithm(e.target.value as Algorithm)}>
            {ALGORITHMS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        )}
      </Field>
      <Field
        label="Grace period"
        hint="The new key is published at once and signs only after this. Cover your resource servers' JWKS caching: at least 5 minutes for HTTP caches (Sigil serves max-age up to 300 s), 30 s for jose's defaults. 0 signs at once."
        error={fieldProblem(rotate.error, 'rotationGracePeriod') ?? (valid ? undefined : 'A whole number of seconds from 0 to 30 days.')}
      >
        {(p) => (
          <div style={{ display: 'flex', gap: 8 }}>
            <input {...p} type="number" min={0} step={1} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} style={{ maxWidth: 120 }} />
            <select aria-label="Unit" style={{ width: 'auto' }} value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
              {Object.keys(UNITS).map((u) => <option key={u} value={u}>{u}</option>)}
            </select>
          </div>
        )}
      </Field>
      {valid && seconds === 0 ? (
        <Notice kind="warning">
          Without a grace period, resource servers that cached the JWKS reject the new tokens until they refetch it
          (jose: up to 30 s; an HTTP cache: up to 5 minutes).
          {pending ? ' A Next key is pending: an immediate rotation is refused until it signs; rotate with a grace period to replace it.' : ''}
        </Notice>
      ) : pending ? (
        <Notice kind="info">The pending Next key never signed; it is replaced by the new one.</Notice>
      ) : null}
      {rotate.error && !fieldProblem(rotate.error, 'signingKeyAlgorithm') && !fieldProblem(rotate.error, 'rotationGracePeriod') ? <ErrorNotice error={rotate.error} /> : null}
    </Dialog>
  );
}

/** The clock, ticking once a second, for ages and countdowns. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}
