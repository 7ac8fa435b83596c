'use client';
// Pick scopes across API resources (grouped by resource, filterable). Already-held scopes are hidden.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../_lib/trpc';
import { EmptyState, ErrorNotice, Loading, SearchBox } from './ui';

export function ScopePicker({ picked, onChange, exclude }: { picked: Set<string>; onChange: (next: Set<string>) => void; exclude?: Set<string> }) {
  const trpc = useTRPC();
  const resources = useQuery(trpc.resources.list.queryOptions({ includeScopes: 'true', page_size: 100 }));
  const [filter, setFilter] = useState('');
  if (resources.isPending) return <Loading label="Loading scopes…" />;
  if (resources.error) return <ErrorNotice error={resources.error} />;
  const term = filter.trim().toLowerCase();
  const groups = resources.data.items
    .map((r) => ({
      ...r,
      scopes: (r.scopes ?? []).filter((s) => !exclude?.has(s.id) && (!term || s.name.toLowerCase().includes(term) || r.name.toLowerCase().includes(term))),
    }))
    .filter((r) => r.scopes.length > 0);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <div className="stack">
      <SearchBox label="Filter scopes" value={filter} onChange={setFilter} />
      {groups.length === 0 ? (
        <EmptyState icon="key" title={term ? 'No matching scopes' : 'No scopes to add'}>
          {term ? 'Try another filter.' : 'Define scopes on an API resource first.'}
        </EmptyState>
      ) : (
        <fieldset className="picker">
          <legend className="sr-only">Scopes</legend>
          {groups.map((r) => (
            <div className="picker-group" key={r.id} role="group" aria-label={r.name}>
              <p className="picker-group-title">
                {r.name} <span className="muted small mono">{r.indicator}</span>
              </p>
              {r.scopes.map((s) => (
                <label key={s.id}>
                  <input type="checkbox" checked={picked.has(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} aria-label={`${r.name}: ${s.name}`} />
                  <span className="mono small">{s.name}</span>
                  {s.description ? <span className="muted small">{s.description}</span> : null}
                </label>
              ))}
            </div>
          ))}
        </fieldset>
      )}
      <p className="muted small" aria-live="polite">{picked.size} selected</p>
    </div>
  );
}
