'use client';
// "Impersonate" on a user's page: issue a single-use subject token for an app with token exchange
// enabled, then show it once with a ready curl for the exchange (RFC 8693) and a countdown to its expiry.
// The token is never stored in the browser beyond this component's state.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Button, Card, CopyField, EmptyState, ErrorNotice, Field, Loading, Notice } from '../../_components/ui';
import { fieldProblem } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';
import { exchangeCurl } from './exchange-curl';

type Started = {
  subjectToken: string;
  /** Client clock: when the countdown reaches zero (from `expiresIn`, so server clock skew does not matter). */
  deadline: number;
  applicationId: string;
  resource: string;
  scope: string;
  tokenEndpoint: string;
  grantType: string;
  subjectTokenType: string;
};

function useSecondsLeft(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [deadline]);
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export function ImpersonatePanel({ userId, isSuspended }: { userId: string; isSuspended: boolean }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.impersonation.options.queryOptions({ userId }));
  const [appId, setAppId] = useState('');
  const [resource, setResource] = useState('');
  const [contextText, setContextText] = useState('');
  const [contextError, setContextError] = useState<string | undefined>();
  const [started, setStarted] = useState<Started | null>(null);
  const secondsLeft = useSecondsLeft(started?.deadline ?? null);

  const apps = options.data?.apps ?? [];
  const resources = options.data?.resources ?? [];
  const chosenApp = appId || apps[0]?.id || '';
  const chosenResource = resource || (resources.find((r) => r.isDefault) ?? resources[0])?.indicator || '';
  const userScopes = useMemo(() => resources.find((r) => r.indicator === chosenResource)?.userScopes ?? [], [resources, chosenResource]);

  const start = useMutation(
    trpc.impersonation.start.mutationOptions({
      onSuccess: (r) => setStarted({
        subjectToken: r.subjectToken,
        deadline: Date.now() + r.expiresIn * 1000,
        applicationId: r.applicationId,
        resource: chosenResource,
        scope: userScopes.join(' '),
        tokenEndpoint: r.tokenEndpoint,
        grantType: r.grantType,
        subjectTokenType: r.subjectTokenType,
      }),
    }),
  );

  const submit = () => {
    let context: Record<string, unknown> | undefined;
    if (contextText.trim()) {
      try {
        const parsed: unknown = JSON.parse(contextText);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        context = parsed as Record<string, unknown>;
      } catch {
        setContextError('Context must be a JSON object, e.g. {"ticket": "T-1042"}.');
        return;
      }
    }
    setContextError(undefined);
    start.mutate({ userId, applicationId: chosenApp, ...(context ? { context } : {}) });
  };

  const description = 'Issue a single-use subject token (valid 10 minutes) that an app with token exchange enabled trades for an access token as this user (RFC 8693). Every impersonation is in the audit log.';

  if (isSuspended) {
    return <Card title="Impersonate" description={description}><Notice kind="warning">Suspended users cannot be impersonated.</Notice></Card>;
  }
  if (options.isPending) return <Card title="Impersonate" description={description}><Loading /></Card>;
  if (options.error) return <Card title="Impersonate" description={description}><ErrorNotice error={options.error} /></Card>;

  if (started) {
    const expired = secondsLeft === 0;
    return (
      <Card title="Impersonate" description={description} actions={<Button onClick={() => (setStarted(null), start.reset())}>{expired ? 'Start again' : 'Done'}</Button>}>
        {expired ? (
          <Notice kind="warning">This subject token has expired. Start again to issue a new one.</Notice>
        ) : (
          <Notice kind="warning">
            Copy it now: it is shown only once and works for one exchange.{' '}
            <strong role="timer" aria-live="off" data-testid="subject-token-expiry">Expires in {mmss(secondsLeft)}</strong>
          </Notice>
        )}
        <CopyField label="Subject token" value={started.subjectToken} testId="subject-token" />
        <CopyField label="Exchange it (set CLIENT_SECRET to the app's secret)" value={exchangeCurl(started)} testId="exchange-curl" />
      </Card>
    );
  }

  if (apps.length === 0) {
    return (
      <Card title="Impersonate" description={description}>
        <EmptyState icon="apps" title="No application can exchange tokens">
          Enable token exchange on a first-party application: <code>PATCH /api/applications/:id</code> with{' '}
          <code>{'{ "customClientMetadata": { "allowTokenExchange": true } }'}</code>.
        </EmptyState>
      </Card>
    );
  }

  return (
    <Card title="Impersonate" description={description}>
      <form className="stack" onSubmit={(e) => (e.preventDefault(), submit())}>
        <Field label="Application" hint="Only applications with token exchange enabled are listed." error={fieldProblem(start.error, 'applicationId')}>
          {(p) => (
            <select {...p} value={chosenApp} onChange={(e) => setAppId(e.target.value)}>
              {apps.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.id})</option>)}
            </select>
          )}
        </Field>
        <Field label="API resource" hint={userScopes.length ? `The user's roles grant: ${userScopes.join(', ')}.` : "The user's roles grant no scopes on this API."}>
          {(p) => (
            <select {...p} value={chosenResource} onChange={(e) => setResource(e.target.value)}>
              {resources.length === 0 ? <option value="">Default resource</option> : null}
              {resources.map((r) => <option key={r.indicator} value={r.indicator}>{r.name} ({r.indicator})</option>)}
            </select>
          )}
        </Field>
        <Field label="Context (optional JSON object)" hint="Claims scripts see it as context.grant.subjectTokenContext. At most 8 KB." error={contextError ?? fieldProblem(start.error, 'context')}>
          {(p) => <textarea {...p} rows={3} value={contextText} onChange={(e) => setContextText(e.target.value)} placeholder='{"ticket": "T-1042"}' />}
        </Field>
        {start.error && !fieldProblem(start.error, 'applicationId') && !fieldProblem(start.error, 'context') ? <ErrorNotice error={start.error} /> : null}
        <div className="row">
          <Button type="submit" variant="primary" icon="key" busy={start.isPending} disabled={!chosenApp}>Impersonate</Button>
        </div>
      </form>
    </Card>
  );
}
