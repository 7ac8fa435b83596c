'use client';
// A JSON object editor: a monospace textarea validated as you type (the error names the line and
// column), with a format button. `onValid` receives the parsed object, or null while the text is invalid.
import { useId, useState } from 'react';
import { Button } from './ui';

export type JsonCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function checkJsonObject(text: string): JsonCheck {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'Must be a JSON object: { … }' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      return { ok: false, message: `${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column})` };
    }
    return { ok: false, message };
  }
}

export function JsonEditor({ label, value, onChange, hint, rows = 10, serverError }: {
  label: string;
  value: string;
  onChange: (text: string, check: JsonCheck) => void;
  hint?: string;
  rows?: number;
  serverError?: string;
}) {
  const id = useId();
  const [check, setCheck] = useState<JsonCheck>(() => checkJsonObject(value));
  const error = !check.ok ? check.message : serverError;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <div className="spread">
        <label htmlFor={id}>{label}</label>
        <Button
          className="btn-sm"
          variant="ghost"
          disabled={!check.ok}
          onClick={() => {
            if (!check.ok) return;
            const pretty = JSON.stringify(check.value, null, 2);
            setCheck(checkJsonObject(pretty));
            onChange(pretty, checkJsonObject(pretty));
          }}
        >
          Format
        </Button>
      </div>
      <textarea
        id={id}
        rows={rows}
        spellCheck={false}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-status`}
        onChange={(e) => {
          const next = checkJsonObject(e.target.value);
          setCheck(next);
          onChange(e.target.value, next);
        }}
      />
      <p id={`${id}-status`} className={error ? 'field-error' : 'hint'} role={error ? 'alert' : undefined}>
        {error ?? hint ?? 'Valid JSON object.'}
      </p>
    </div>
  );
}
