'use client';
// A ready-to-run client_credentials request for this application: the first resource its roles grant
// (or the Management API when none), with the granted scopes. The secret stays a shell variable.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Card, CopyButton, ErrorNotice, Field, Loading } from '../../../_components/ui';
import { useTRPC } from '../../../_lib/trpc';

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export function TokenRequestCard({ id }: { id: string }) {
  const trpc = useTRPC();
  const grants = useQuery(trpc.applications.grants.queryOptions({ id }));
  const [choice, setChoice] = useState<string | null>(null);
  if (grants.isPending) return <Card title="Request a token"><Loading /></Card>;
  if (grants.error) return <Card title="Request a token"><ErrorNotice error={grants.error} /></Card>;
  const { tokenEndpoint, managementApi, resources } = grants.data;
  const options = resources.length ? resources : [{ indicator: managementApi, scopes: [] as string[] }];
  const selected = options.find((r) => r.indicator === choice) ?? options[0]!;
  const lines = [
    `curl -s -X POST ${shellQuote(tokenEndpoint)} \\`,
    `  -u "${id}:$APP_SECRET" \\`,
    `  -d grant_type=client_credentials \\`,
    `  --data-urlencode resource=${shellQuote(selected.indicator)}${selected.scopes.length ? ' \\' : ''}`,
    ...(selected.scopes.length ? [`  --data-urlencode scope=${shellQuote(selected.scopes.join(' '))}`] : []),
  ];
  const command = lines.join('\n');
  return (
    <Card
      title="Request a token"
      description={<>Set <code>APP_SECRET</code> to one of the application&apos;s secrets, then run:</>}
      actions={<CopyButton value={command} label="Copy command" />}
    >
      <div className="stack">
        {options.length > 1 ? (
          <Field label="Resource">
            {(p) => (
              <select {...p} value={selected.indicator} onChange={(e) => setChoice(e.target.value)}>
                {options.map((r) => <option key={r.indicator} value={r.indicator}>{r.indicator}</option>)}
              </select>
            )}
          </Field>
        ) : null}
        <pre className="command" data-testid="token-curl">{command}</pre>
        {resources.length === 0 ? <p className="muted small">No role grants this application a resource yet: assign a role to request scopes.</p> : null}
      </div>
    </Card>
  );
}
