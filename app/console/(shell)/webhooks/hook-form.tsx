'use client';
// The webhook form, shared by "Create webhook" and a hook's settings: name, endpoint URL, the events
// picker (grouped by family, with what each event means), and custom headers as key/value rows.
import { useQuery } from '@tanstack/react-query';
import { Button, ErrorNotice, Field, Loading } from '../../_components/ui';
import { fieldProblem, problemOf } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';
import type { RouterInputs } from '../../_lib/types';

export type HookEventName = NonNullable<RouterInputs['hooks']['create']['events']>[number];
export type HookFormValue = { name: string; url: string; events: HookEventName[]; headers: Array<{ key: string; value: string }> };

export const emptyHookForm = (): HookFormValue => ({ name: '', url: '', events: [], headers: [] });

export function toHookInput(v: HookFormValue) {
  const headers = Object.fromEntries(v.headers.filter((h) => h.key.trim()).map((h) => [h.key.trim(), h.value]));
  return { name: v.name, events: v.events, config: { url: v.url.trim(), headers } };
}

export function HookFields({ value, onChange, error }: { value: HookFormValue; onChange: (v: HookFormValue) => void; error: unknown }) {
  const known = ['name', 'config.url', 'events', 'config.headers'];
  const other = error && !known.some((k) => fieldProblem(error, k));
  return (
    <div className="stack">
      <div className="form-grid">
        <Field label="Name" error={fieldProblem(error, 'name')}>
          {(p) => <input {...p} maxLength={256} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} placeholder="e.g. Audit sink" />}
        </Field>
        <Field label="Endpoint URL" hint="Sigil POSTs each event here as JSON, signed with the hook's signing key." error={fieldProblem(error, 'config.url')}>
          {(p) => <input {...p} type="url" required value={value.url} onChange={(e) => onChange({ ...value, url: e.target.value })} placeholder="https://example.com/webhooks/sigil" />}
        </Field>
      </div>
      <EventsPicker picked={value.events} onChange={(events) => onChange({ ...value, events })} error={fieldProblem(error, 'events')} />
      <HeadersEditor rows={value.headers} onChange={(headers) => onChange({ ...value, headers })} error={fieldProblem(error, 'config.headers')} />
      {other ? <ErrorNotice error={error} /> : null}
    </div>
  );
}

const family = (event: string) => event.split('.')[0]!;

function EventsPicker({ picked, onChange, error }: { picked: HookEventName[]; onChange: (events: HookEventName[]) => void; error?: string }) {
  const trpc = useTRPC();
  const events = useQuery(trpc.hooks.events.queryOptions());
  if (events.isPending) return <Loading label="Loading events…" />;
  if (events.error) return <ErrorNotice error={events.error} />;
  const groups = new Map<string, typeof events.data>();
  for (const e of events.data) groups.set(family(e.name), [...(groups.get(family(e.name)) ?? []), e]);
  const set = new Set<string>(picked);
  const toggle = (name: string, on: boolean) => {
    const next = new Set<string>(set);
    if (on) next.add(name);
    else next.delete(name);
    // Keep the catalogue's order, so the saved list reads the same way as the picker.
    onChange(events.data.map((e) => e.name).filter((n) => next.has(n)));
  };
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <span className="field-label">Events</span>
      <fieldset className="picker" aria-describedby={error ? 'events-error' : undefined}>
        <legend className="sr-only">Events</legend>
        {[...groups].map(([name, list]) => (
          <div className="picker-group" key={name} role="group" aria-label={`${name} events`}>
            <p className="picker-group-title">{name}</p>
            {list.map((e) => (
              <label key={e.name}>
                <input type="checkbox" checked={set.has(e.name)} onChange={(ev) => toggle(e.name, ev.target.checked)} aria-label={e.name} />
                <span className="mono small">{e.name}</span>
                <span className="muted small">{e.description}</span>
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <p className="muted small" aria-live="polite">{picked.length} selected</p>
      {error ? <p className="field-error" id="events-error" role="alert">{error}</p> : null}
    </div>
  );
}

function HeadersEditor({ rows, onChange, error }: { rows: HookFormValue['headers']; onChange: (rows: HookFormValue['headers']) => void; error?: string }) {
  const set = (i: number, patch: Partial<HookFormValue['headers'][number]>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <span className="field-label">Custom headers</span>
      <p className="hint">Sent with every delivery, e.g. an <code>Authorization</code> header your endpoint checks. Signature headers are Sigil&apos;s.</p>
      {rows.map((r, i) => (
        <div className="row" key={i}>
          <input aria-label={`Header ${i + 1} name`} className="mono" style={{ flex: '1 1 160px' }} value={r.key} onChange={(e) => set(i, { key: e.target.value })} placeholder="x-api-key" />
          <input aria-label={`Header ${i + 1} value`} className="mono" style={{ flex: '2 1 220px' }} value={r.value} onChange={(e) => set(i, { value: e.target.value })} placeholder="value" />
          <Button variant="ghost" icon="trash" aria-label={`Remove header ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
        </div>
      ))}
      <div><Button variant="ghost" icon="plus" onClick={() => onChange([...rows, { key: '', value: '' }])}>Add header</Button></div>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </div>
  );
}

/** "12 / 13 (92 %)" for a hook's last 24 hours, or "No deliveries". */
export function successRate(stats: { requestCount: number; successCount: number } | undefined): string {
  if (!stats || stats.requestCount === 0) return 'No requests';
  return `${stats.successCount} / ${stats.requestCount} (${Math.round((stats.successCount / stats.requestCount) * 100)} %)`;
}

export { problemOf };
