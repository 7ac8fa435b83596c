'use client';
// Dialogs on the native <dialog> element: modal focus handling and Escape-to-close come from the browser.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Icon } from './icons';
import { Button, ErrorNotice } from './ui';

export function Dialog({ open, onClose, title, children, footer, onSubmit, wide }: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  /** When set, the body is a form: Enter submits, and the footer's submit button belongs to it. */
  onSubmit?: () => void;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const body = (
    <>
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-btn" onClick={onClose} aria-label="Close dialog">
          <Icon name="close" />
        </button>
      </div>
      <div className="dialog-body">{children}</div>
      {footer ? <div className="dialog-footer">{footer}</div> : null}
    </>
  );
  return (
    <dialog
      ref={ref}
      className={`dialog ${wide ? 'dialog-wide' : ''}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault(); // Escape: let React state close it, so state and DOM agree
        onClose();
      }}
      onMouseDown={(e) => {
        if (e.target === ref.current) onClose(); // a click on the backdrop
      }}
    >
      {open ? (
        onSubmit ? (
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )
      ) : null}
    </dialog>
  );
}

/**
 * Confirmation for destructive actions. With `typeToConfirm`, the operator must type that text (e.g. the
 * application's name) before the button enables.
 */
export function ConfirmDialog({ open, onClose, title, children, confirmLabel, onConfirm, busy, error, typeToConfirm }: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  error?: unknown;
  typeToConfirm?: string;
}) {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  useEffect(() => {
    if (!open) setTyped('');
  }, [open]);
  const ready = !typeToConfirm || typed === typeToConfirm;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      onSubmit={() => ready && !busy && onConfirm()}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={!ready} busy={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="confirm-body">{children}</div>
      {typeToConfirm ? (
        <div className="field">
          <label htmlFor={inputId}>
            Type <code>{typeToConfirm}</code> to confirm
          </label>
          <input id={inputId} autoFocus autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </div>
      ) : null}
      <ErrorNotice error={error} />
    </Dialog>
  );
}
