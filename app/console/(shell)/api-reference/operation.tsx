'use client';
// One operation: a row (method, path, summary, scope) that expands to its parameters, request body,
// responses by status and a ready curl. The row is a button inside a heading (the disclosure pattern),
// so it is reachable and operable from the keyboard.
import { Icon } from '../../_components/icons';
import { CopyButton } from '../../_components/ui';
import { constraints, curlFor, example, typeLabel, type Operation, type Schemas } from './reference';
import { Inline, SchemaView } from './schema-view';

type Props = { op: Operation; open: boolean; onToggle: () => void; baseUrl: string; schemas: Schemas };

export function OperationItem({ op, open, onToggle, baseUrl, schemas }: Props) {
  const detailsId = `${op.id}-details`;
  return (
    <li className="op" id={op.id} data-operation={op.id} data-method={op.method} data-path={op.path}>
      <h3 className="op-heading">
        <button type="button" className="op-toggle" aria-expanded={open} aria-controls={detailsId} onClick={onToggle}>
          <MethodBadge method={op.method} />
          <code className="op-path"><PathText path={op.path} /></code>
          <span className="op-summary"><Inline text={op.summary} /></span>
          <span className={`badge op-scope ${op.scope ? 'badge-accent' : ''}`} title={op.scope ? `Requires scope ${op.scope} (or all)` : 'No token needed'}>
            {op.scope ?? 'public'}
          </span>
          <span className="op-chevron" aria-hidden><Icon name="chevronRight" size={16} /></span>
        </button>
      </h3>
      {open ? <OperationDetails id={detailsId} op={op} baseUrl={baseUrl} schemas={schemas} /> : null}
    </li>
  );
}

/** A path that wraps only after a slash, never inside a segment. */
function PathText({ path }: { path: string }) {
  const segments = path.split('/');
  return <>{segments.map((s, i) => (i < segments.length - 1 ? <span key={i}>{s}/<wbr /></span> : s))}</>;
}

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method method-${method.toLowerCase()}`}>{method}</span>;
}

function OperationDetails({ id, op, baseUrl, schemas }: { id: string; op: Operation; baseUrl: string; schemas: Schemas }) {
  const curl = curlFor(op, baseUrl, schemas);
  return (
    <div className="op-details" id={id} role="region" aria-label={`${op.method} ${op.path}`}>
      <p className="op-meta">
        {op.description ? <Inline text={op.description} /> : op.scope === null ? 'Public: no token needed.' : null}{' '}
        <span className="muted small">
          operationId <code>{op.id}</code> · <a href={`#${op.id}`}>Link</a>
        </span>
      </p>

      {op.parameters.length ? (
        <section data-section="parameters">
          <h4>Parameters</h4>
          <div className="table-wrap">
            <table className="table op-params">
              <thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={`${p.in}:${p.name}`} data-param={p.name}>
                    <td className="primary-cell">
                      <code>{p.name}</code> {p.required ? <span className="schema-required">required</span> : <span className="muted small">optional</span>}
                    </td>
                    <td data-label="In">{p.in}</td>
                    <td data-label="Type">
                      <span className="schema-type">{p.schema ? typeLabel(p.schema, schemas) : 'string'}</span>
                      {p.schema ? constraints(p.schema).map((c) => <span key={c} className="schema-constraint">{` ${c}`}</span>) : null}
                    </td>
                    <td data-label="Description">{p.description ? <Inline text={p.description} /> : <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {op.body ? (
        <section data-section="request-body">
          <h4>
            Request body <span className="op-h4-note">application/json · {op.body.required ? 'required' : 'optional (a missing body reads as {})'}</span>
          </h4>
          <div className="op-body-grid">
            <SchemaView schema={op.body.schema} schemas={schemas} />
            <div>
              <p className="muted small">Example skeleton</p>
              <pre className="command">{JSON.stringify(example(op.body.schema, schemas), null, 2)}</pre>
            </div>
          </div>
        </section>
      ) : null}

      <section data-section="responses">
        <h4>Responses</h4>
        <ul className="op-responses">
          {op.responses.map((r) => {
            const success = r.status.startsWith('2');
            return (
              <li key={r.status} data-status={r.status}>
                <div className="op-response-head">
                  <span className={`status status-${r.status[0]}xx`}>{r.status}</span>
                  <span><Inline text={r.description} /></span>
                </div>
                {r.schema ? (
                  success ? (
                    <SchemaView schema={r.schema} schemas={schemas} />
                  ) : (
                    // Every error has the same { code, message, field? } body: folded, so the statuses stay scannable.
                    <details className="op-error-body">
                      <summary>Body <code>{typeLabel(r.schema, schemas)}</code></summary>
                      <SchemaView schema={r.schema} schemas={schemas} />
                    </details>
                  )
                ) : null}
                {r.headers.length ? <p className="op-headers-title">{r.headers.some((h) => h.name === 'Total-Number') ? 'Pagination headers' : 'Headers'}</p> : null}
                {r.headers.length ? (
                  <dl className="op-headers" data-section="headers" aria-label="Response headers">
                    {r.headers.map((h) => (
                      <div key={h.name}>
                        <dt><code>{h.name}</code> <span className="schema-type">{h.schema ? typeLabel(h.schema, schemas) : 'string'}</span></dt>
                        <dd>{h.description ? <Inline text={h.description} /> : null}</dd>
                      </div>
                    ))}
                  </dl>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>

      <section data-section="curl">
        <div className="spread">
          <h4>Example request</h4>
          <CopyButton value={curl} label="Copy curl" />
        </div>
        <pre className="command" data-testid={`curl-${op.id}`}>{curl}</pre>
      </section>
    </div>
  );
}
