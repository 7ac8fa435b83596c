'use client';
// Management API reference: every operation of the generated OpenAPI document (the one /api/swagger.json
// serves, read through tRPC), grouped by tag and searchable; each expands to its parameters, body,
// responses and a curl. `#<operationId>` links open one operation.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { Card, CopyButton, CopyField, EmptyState, ErrorNotice, Loading, PageHeader, SearchBox } from '../../_components/ui';
import { useTRPC } from '../../_lib/trpc';
import './api-reference.css';
import { OperationItem } from './operation';
import { byTag, matches, operations, tokenCurl, type OpenApiDocument } from './reference';
import { Inline } from './schema-view';

const SWAGGER = '/api/swagger.json';

export default function ApiReferencePage() {
  const trpc = useTRPC();
  // The document changes only with a deployment: no refetching while the page is open.
  const doc = useQuery({ ...trpc.apiReference.document.queryOptions(), staleTime: Infinity });
  const meta = useQuery(trpc.meta.info.queryOptions());
  const baseUrl = doc.data?.servers?.[0]?.url ?? '';

  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            The Management API at <code>{baseUrl ? `${baseUrl}/api` : '…'}</code>, generated from the same route table
            and schemas that serve it. Machine-readable: <a href={SWAGGER}>{SWAGGER}</a> (OpenAPI 3.1).
          </>
        }
        actions={<a className="btn btn-secondary" href={SWAGGER} target="_blank" rel="noreferrer">OpenAPI JSON</a>}
      />
      {doc.isPending ? (
        <Card><Loading label="Loading the API document…" /></Card>
      ) : doc.error ? (
        <Card><ErrorNotice error={doc.error} /></Card>
      ) : (
        <>
          <TokenCard doc={doc.data} indicator={meta.data?.managementApi} />
          <Operations doc={doc.data} baseUrl={baseUrl} />
        </>
      )}
    </>
  );
}

function TokenCard({ doc, indicator }: { doc: OpenApiDocument; indicator?: string }) {
  const tokenEndpoint = doc.components.securitySchemes?.oAuth2?.flows?.clientCredentials?.tokenUrl ?? '';
  const command = indicator ? tokenCurl(tokenEndpoint, indicator) : '';
  return (
    <Card title="Authenticate" description={doc.info.description ? <Inline text={doc.info.description} /> : undefined}>
      <div className="stack">
        <div className="grid-2 api-facts">
          <CopyField label="Base URL" value={doc.servers?.[0]?.url ?? ''} testId="api-base-url" />
          <CopyField label="Token endpoint" value={tokenEndpoint} testId="api-token-endpoint" />
        </div>
        <ol className="api-steps">
          <li>
            Create a <Link href="/console/applications">machine-to-machine application</Link> and assign it the{' '}
            <strong>Management API access</strong> role (scope <code>all</code>), or a role with the fine-grained scopes
            the operations below name.
          </li>
          <li>
            Set <code>APP_ID</code> and <code>APP_SECRET</code> to its credentials and request a token for the resource{' '}
            <code>{indicator ?? '…'}</code>:
            <div className="api-command">
              <pre className="command" data-testid="api-token-curl">{command || 'Loading…'}</pre>
              {command ? <CopyButton value={command} label="Copy command" /> : null}
            </div>
          </li>
          <li>
            Put the answer&apos;s <code>access_token</code> in <code>TOKEN</code> (<code>export TOKEN=…</code>); every
            example below sends it as <code>Authorization: Bearer $TOKEN</code>.
          </li>
        </ol>
      </div>
    </Card>
  );
}

function Operations({ doc, baseUrl }: { doc: OpenApiDocument; baseUrl: string }) {
  const all = useMemo(() => operations(doc), [doc]);
  const schemas = doc.components.schemas ?? {};
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const shown = all.filter((op) => matches(op, search));
  const groups = byTag(shown, doc);

  // `#<operationId>`: open that operation and bring it into view, on arrival and on later hash changes.
  useEffect(() => {
    const follow = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const op = all.find((o) => o.id === id);
      if (!op) return;
      setOpen((prev) => new Set(prev).add(id));
      setSearch((s) => (matches(op, s) ? s : ''));
      requestAnimationFrame(() => document.getElementById(id)?.scrollIntoView({ block: 'start' }));
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [all]);

  const toggle = (id: string) => {
    const opening = !open.has(id);
    setOpen((prev) => {
      const next = new Set(prev);
      if (opening) next.add(id);
      else next.delete(id);
      return next;
    });
    // The address bar then holds a link to the operation just opened.
    if (opening) window.history.replaceState(null, '', `#${id}`);
  };

  return (
    <>
      <Card>
        <div className="toolbar api-toolbar">
          <SearchBox label="Search path, summary, tag or scope" value={search} onChange={setSearch} />
          <span className="muted small" data-testid="operation-count" aria-live="polite">
            {shown.length === all.length ? `${all.length} operations` : `${shown.length} of ${all.length} operations`}
          </span>
        </div>
        {groups.length === 0 ? (
          <EmptyState icon="search" title="No matching operations">Try a path segment, a tag or a scope such as write:users.</EmptyState>
        ) : (
          <nav className="api-tags" aria-label="Tags">
            {groups.map((g) => (
              <a key={g.tag} href={`#tag-${slug(g.tag)}`}>{g.tag} <span className="muted">{g.operations.length}</span></a>
            ))}
          </nav>
        )}
      </Card>
      {groups.map((g) => (
        <section key={g.tag} className="card api-group" id={`tag-${slug(g.tag)}`} aria-labelledby={`tag-${slug(g.tag)}-title`} data-tag={g.tag}>
          <h2 id={`tag-${slug(g.tag)}-title`}>{g.tag}</h2>
          <ul className="ops">
            {g.operations.map((op) => (
              <OperationItem key={op.id} op={op} open={open.has(op.id)} onToggle={() => toggle(op.id)} baseUrl={baseUrl} schemas={schemas} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
