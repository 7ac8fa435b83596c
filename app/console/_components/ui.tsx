'use client';
// Small building blocks shared by console pages: page header, buttons, fields, notices, tables,
// pagination, copy buttons. Plain CSS classes from console.css; no UI library.
import { useEffect, useId, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { problemOf } from '../_lib/errors';
import { Icon, type IconName } from './icons';

export function PageHeader({ title, description, actions, back }: { title: string; description?: ReactNode; actions?: ReactNode; back?: { href: string; label: string } }) {
  return (
    <header className="page-header">
      <title>{`${title} · Sigil console`}</title>
      {back ? (
        <a className="back-link" href={back.href}>
          <Icon name="chevronLeft" size={16} /> {back.label}
        </a>
      ) : null}
      <div className="page-header-row">
        <div>
          <h1>{title}</h1>
          {description ? <p className="muted">{description}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
    </header>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  icon?: IconName;
  busy?: boolean;
};

export function Button({ variant = 'secondary', icon, busy, children, className, disabled, ...rest }: ButtonProps) {
  return (
    <button type="button" className={`btn btn-${variant} ${className ?? ''}`} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <span className="spinner" aria-hidden /> : icon ? <Icon name={icon} size={16} /> : null}
      {children}
    </button>
  );
}

/** A labelled form control; `error` is shown under it and linked with aria-describedby. */
export function Field({ label, hint, error, children, id }: { label: string; hint?: ReactNode; error?: string; id?: string; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const auto = useId();
  const fieldId = id ?? auto;
  const describedBy = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={fieldId}>{label}</label>
      {children({ id: fieldId, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? <p className="hint" id={`${fieldId}-hint`}>{hint}</p> : null}
      {error ? <p className="field-error" id={`${fieldId}-error`} role="alert">{error}</p> : null}
    </div>
  );
}

/** The server's message for a failed call; names the field when the server did. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const problem = problemOf(error);
  if (!problem) return null;
  return (
    <div className="notice notice-error" role="alert">
      <Icon name="alert" size={18} />
      <div>
        {title ? <strong>{title}: </strong> : null}
        {problem.message}
        {problem.field ? <span className="muted"> (field: <code>{problem.field}</code>)</span> : null}
      </div>
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return <div className={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined}>{children}</div>;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

export function EmptyState({ icon = 'list', title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <Icon name={icon} size={28} />
      <p className="empty-title">{title}</p>
      {children ? <p className="muted">{children}</p> : null}
      {action}
    </div>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'accent' | 'success' | 'danger' | 'warning' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Card({ title, description, actions, children, className }: { title?: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {title || actions ? (
        <div className="card-header">
          <div>
            {title ? <h2>{title}</h2> : null}
            {description ? <p className="muted">{description}</p> : null}
          </div>
          {actions ? <div className="card-actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <Button
      variant="ghost"
      icon={copied ? 'check' : 'copy'}
      aria-label={`${label} to clipboard`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
        } catch {
          // Clipboard API unavailable (http on a non-localhost host): fall back to a selection copy.
          const area = document.createElement('textarea');
          area.value = value;
          document.body.appendChild(area);
          area.select();
          document.execCommand('copy');
          area.remove();
        }
        setCopied(true);
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}

/** A secret or command shown in full with a copy button. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="copy-field">
      <span className="copy-label">{label}</span>
      <div className="copy-row">
        <code data-testid={testId}>{value}</code>
        <CopyButton value={value} />
      </div>
    </div>
  );
}

export function SearchBox({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  return (
    <div className="search">
      <Icon name="search" size={16} />
      <input type="search" aria-label={label} placeholder={label} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

export function Pagination({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (total <= pageSize) return <p className="muted small pagination-summary">{total} {total === 1 ? 'item' : 'items'}</p>;
  return (
    <nav className="pagination" aria-label="Pagination">
      <span className="muted small">
        {(page - 1) * pageSize + 1}–{Math.min(page * pageSize, total)} of {total}
      </span>
      <Button variant="ghost" icon="chevronLeft" disabled={page <= 1} onClick={() => onPage(page - 1)} aria-label="Previous page" />
      <span className="small">Page {page} / {pages}</span>
      <Button variant="ghost" icon="chevronRight" disabled={page >= pages} onClick={() => onPage(page + 1)} aria-label="Next page" />
    </nav>
  );
}

/** An on/off switch (a checkbox with role=switch, so it is keyboard and screen-reader friendly). */
export function Switch({ checked, onChange, label, disabled, description }: { checked: boolean; onChange: (v: boolean) => void; label: string; disabled?: boolean; description?: ReactNode }) {
  const id = useId();
  return (
    <div className="switch-row">
      <div>
        <label htmlFor={id} className="switch-label">{label}</label>
        {description ? <p className="muted small">{description}</p> : null}
      </div>
      <input id={id} type="checkbox" role="switch" className="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-checked={checked} />
    </div>
  );
}

/** Debounced value for search boxes, so typing does not fire a query per keystroke. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return current;
}

export function formatTime(ms: number | null | undefined): string {
  if (!ms) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
