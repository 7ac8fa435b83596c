'use client';
// The outcome of a run: the claims, the final token payload with each claim's origin (reserved claims are
// Sigil's and win; script keys that collide with them are listed as ignored), or the failure with its
// kind and position.
import type { ReactNode } from 'react';
import { Badge, Notice } from '../../_components/ui';

export type RunOutcome =
  | {
      ok: true;
      claims: Record<string, unknown>;
      durationMs: number;
      token: { payload: Record<string, unknown>; reserved: string[]; ignored: string[] };
    }
  | { ok: false; kind: string; message: string; line?: number; column?: number; durationMs: number };

const KIND_LABEL: Record<string, string> = {
  syntax: 'Syntax error',
  runtime: 'Runtime error',
  timeout: 'Timeout',
  memory: 'Memory limit',
  denied: 'Access denied by the script',
  invalid_result: 'Invalid result',
  busy: 'Sandbox busy',
  tripped: 'Tripped',
};

const json = (v: unknown) => JSON.stringify(v, null, 2);

export function ResultPanel({ outcome, blockIssuanceOnError, onReveal }: { outcome: RunOutcome; blockIssuanceOnError: boolean; onReveal: () => void }) {
  if (!outcome.ok) {
    const where = outcome.line !== undefined ? `line ${outcome.line}${outcome.column !== undefined ? `, column ${outcome.column}` : ''}` : null;
    const consequence = outcome.kind === 'denied'
      ? <>At issuance the token request fails with <code>access_denied</code> and this message.</>
      : blockIssuanceOnError
        ? <>At issuance the token request would fail with <code>invalid_request</code> (issuance is blocked on errors).</>
        : <>At issuance the token would be issued <strong>without</strong> custom claims, and the failure recorded in the audit log.</>;
    return (
      <div className="result result-failure" data-testid="run-result" data-kind={outcome.kind} role="alert">
        <div className="spread">
          <Badge tone={outcome.kind === 'denied' ? 'warning' : 'danger'}>{KIND_LABEL[outcome.kind] ?? outcome.kind}</Badge>
          <span className="muted small">{outcome.durationMs.toFixed(2)} ms</span>
        </div>
        <pre className="result-message mono">{outcome.message}</pre>
        {where ? (
          <button type="button" className="link-button" onClick={onReveal} data-testid="error-position">
            Show {where} in the editor
          </button>
        ) : null}
        <p className="muted small">{consequence}</p>
      </div>
    );
  }
  const reserved = new Set(outcome.token.reserved);
  // Sigil's claims first, then the script's (the order of JSON members in a token carries no meaning).
  const entries = Object.entries(outcome.token.payload).sort(([a], [b]) => Number(reserved.has(b)) - Number(reserved.has(a)));
  return (
    <div className="result result-success" data-testid="run-result" data-kind="ok">
      <div className="spread">
        <Badge tone="success">Claims returned</Badge>
        <span className="muted small" data-testid="run-duration">script ran in {outcome.durationMs.toFixed(2)} ms</span>
      </div>
      <pre className="result-json mono" data-testid="run-claims">{json(outcome.claims)}</pre>
      {outcome.token.ignored.length ? (
        <Notice kind="warning">
          <span data-testid="ignored-claims">
            Ignored (reserved claims keep Sigil&apos;s values): {outcome.token.ignored.map((k) => <code key={k}>{k}</code>).reduce<ReactNode[]>((a, c, i) => (i ? [...a, ', ', c] : [c]), [])}
          </span>
        </Notice>
      ) : null}
      <h3 className="result-heading">Final token payload</h3>
      <table className="claims-table" data-testid="final-token">
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k} data-claim={k} data-origin={reserved.has(k) ? 'reserved' : 'script'}>
              <th scope="row"><code>{k}</code></th>
              <td className="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
              <td>{reserved.has(k) ? <Badge>reserved</Badge> : <Badge tone="accent">script</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Reserved values here are illustrative (from the token sample); at issuance Sigil sets them.</p>
    </div>
  );
}
