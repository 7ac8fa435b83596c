'use client';
// Send a signed test payload (Logto's fake data-hook body) and show exactly what the endpoint answered.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, Button, Card, ErrorNotice, Field } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';
import type { RouterOutputs } from '../../../_lib/types';
import type { HookEventName } from '../hook-form';

type Hook = RouterOutputs['hooks']['get'];

export function TestSend({ hook }: { hook: Hook }) {
  const trpc = useTRPC();
  const [event, setEvent] = useState<string>(hook.events[0] ?? 'Role.Created');
  const [url, setUrl] = useState(hook.config.url);
  const test = useMutation(trpc.hooks.test.mutationOptions());
  const result = test.data?.results[0];
  return (
    <Card title="Send a test" description="Sends one signed test payload now (not queued, not retried) and shows the endpoint's answer.">
      <form className="stack" onSubmit={(e) => (e.preventDefault(), test.mutate({ id: hook.id, events: [event as HookEventName], config: { url, headers: hook.config.headers } }))}>
        <div className="form-grid">
          <Field label="Event">
            {(p) => (
              <select {...p} value={event} onChange={(e) => setEvent(e.target.value)}>
                {hook.events.map((e) => <option key={e} value={e}>{e}</option>)}
              </select>
            )}
          </Field>
          <Field label="Send to" hint="Defaults to the saved URL; try another before saving it.">
            {(p) => <input {...p} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
        </div>
        <div><Button type="submit" icon="terminal" busy={test.isPending}>Send test</Button></div>
      </form>
      <ErrorNotice error={test.error} />
      {result ? (
        <div className="stack" data-testid="test-result" aria-live="polite">
          <p className="row">
            {result.result === 'Success' ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failed</Badge>}
            {result.response ? <span>HTTP <strong data-testid="test-status">{result.response.statusCode}</strong></span> : null}
            <span className="muted small">{result.durationMs} ms</span>
          </p>
          {result.error ? <p className="field-error">{result.error}</p> : null}
          {result.response ? <pre className="command" aria-label="Response body">{typeof result.response.body === 'string' ? result.response.body || '(empty body)' : JSON.stringify(result.response.body, null, 2)}</pre> : null}
        </div>
      ) : null}
    </Card>
  );
}
