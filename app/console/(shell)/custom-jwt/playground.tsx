'use client';
// The playground for one token type: the script in Monaco (typed arguments), sample token / context /
// environment variables as JSON, Run (button or Ctrl/Cmd+Enter) against the real sandbox, and save,
// activate, failure policy, delete. Unsaved edits are guarded against leaving the page.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConfirmDialog } from '../../_components/dialog';
import { Badge, Button, Card, ErrorNotice, Switch, formatTime } from '../../_components/ui';
import { problemOf } from '../../_lib/errors';
import { useTRPC } from '../../_lib/trpc';
import type { EditorMarker } from './code-editor';
import { ResultPanel, type RunOutcome } from './result-panel';
import { CONTEXT_SAMPLES, DEFAULT_SCRIPTS, ENV_SAMPLES, TOKEN_SAMPLES, type TokenType } from './samples';
import { typingsFor } from './typings';
import { useUnsavedChangesGuard } from './unsaved';

const CodeEditor = dynamic(() => import('./code-editor'), {
  ssr: false,
  loading: () => <div className="editor-placeholder muted small">Loading editor…</div>,
});

export type SavedCustomizer = {
  value: {
    script: string;
    environmentVariables: Record<string, string>;
    tokenSample?: Record<string, unknown>;
    contextSample?: Record<string, unknown>;
    blockIssuanceOnError: boolean;
    enabled: boolean;
  };
  updatedAt: number;
} | null;

type Texts = { script: string; token: string; context: string; env: string };
type InputTab = 'token' | 'context' | 'env';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function textsFrom(tokenType: TokenType, saved: SavedCustomizer): Texts {
  return {
    script: saved?.value.script ?? DEFAULT_SCRIPTS[tokenType],
    token: pretty(saved?.value.tokenSample ?? TOKEN_SAMPLES[tokenType]),
    context: pretty(saved?.value.contextSample ?? CONTEXT_SAMPLES[tokenType]),
    env: pretty(saved ? saved.value.environmentVariables : ENV_SAMPLES[tokenType]),
  };
}

/** JSON text compared by meaning, so reformatting is not an unsaved change. */
function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };
function parseObject(text: string): Parsed {
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'must be a JSON object' };
    return { ok: true, value: v as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const INPUT_TABS: Array<{ id: InputTab; label: string; hint: string }> = [
  { id: 'token', label: 'Token sample', hint: 'What the script receives as `token` (Logto\'s shape of the token being issued).' },
  { id: 'context', label: 'Context sample', hint: 'What the script receives as `context`.' },
  { id: 'env', label: 'Environment variables', hint: 'Names to string values, passed as `environmentVariables`. Saved with the script; never written to logs or the audit log.' },
];

/** "(line 3, column 7)" at the end of a save error: the script check's position. */
function positionIn(message: string): { line: number; column?: number } | null {
  const m = /\(line (\d+)(?:, column (\d+))?\)$/.exec(message);
  return m ? { line: Number(m[1]), ...(m[2] ? { column: Number(m[2]) } : {}) } : null;
}

export function Playground({ tokenType, saved, onDirtyChange }: { tokenType: TokenType; saved: SavedCustomizer; onDirtyChange: (dirty: boolean) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [baseline, setBaseline] = useState<Texts>(() => textsFrom(tokenType, saved));
  const [texts, setTextsState] = useState<Texts>(baseline);
  // Run/Save read the editors' latest text from here: Ctrl+Enter right after a paste must not run the
  // text of the previous render.
  const latest = useRef(texts);
  const setTexts = (next: Texts) => {
    latest.current = next;
    setTextsState(next);
  };
  const [stored, setStored] = useState(saved);
  const [enabled, setEnabled] = useState(saved?.value.enabled ?? true);
  const [block, setBlock] = useState(saved?.value.blockIssuanceOnError ?? false);
  const [tab, setTab] = useState<InputTab>('token');
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  /** What the shown outcome was computed from, to flag it once the script or inputs change. */
  const [ranWith, setRanWith] = useState<Texts | null>(null);
  const [marker, setMarker] = useState<EditorMarker>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  // Before the first save, "unsaved" means edited since the template was shown.
  const dirty = texts.script !== baseline.script || !sameJson(texts.token, baseline.token) || !sameJson(texts.context, baseline.context) || !sameJson(texts.env, baseline.env);
  useUnsavedChangesGuard(dirty);
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.jwtCustomizer.playground.queryKey({ tokenType }) });
  const test = useMutation(trpc.jwtCustomizer.test.mutationOptions());
  const save = useMutation(trpc.jwtCustomizer.save.mutationOptions());
  const update = useMutation(trpc.jwtCustomizer.update.mutationOptions());
  const remove = useMutation(trpc.jwtCustomizer.delete.mutationOptions());

  /** The three JSON inputs, or the first problem (its tab is shown). */
  const inputs = useCallback((): { token: Record<string, unknown>; context: Record<string, unknown>; env: Record<string, string> } | null => {
    const now = latest.current;
    const checks: Array<[InputTab, Parsed]> = [['token', parseObject(now.token)], ['context', parseObject(now.context)], ['env', parseObject(now.env)]];
    for (const [id, check] of checks) {
      if (!check.ok) {
        setTab(id);
        setInputError(`${INPUT_TABS.find((t) => t.id === id)!.label}: ${check.message}`);
        return null;
      }
    }
    const env = (checks[2]![1] as { ok: true; value: Record<string, unknown> }).value;
    const bad = Object.entries(env).find(([, v]) => typeof v !== 'string');
    if (bad) {
      setTab('env');
      setInputError(`Environment variables: the value of ${bad[0]} must be a string`);
      return null;
    }
    setInputError(null);
    return {
      token: (checks[0]![1] as { ok: true; value: Record<string, unknown> }).value,
      context: (checks[1]![1] as { ok: true; value: Record<string, unknown> }).value,
      env: env as Record<string, string>,
    };
  }, []);

  const run = useCallback(() => {
    const parsed = inputs();
    if (!parsed || test.isPending) return;
    setMarker(null);
    const running = latest.current;
    test.mutate(
      { tokenType, script: running.script, environmentVariables: parsed.env, token: parsed.token, context: parsed.context },
      {
        onSuccess: (result) => {
          setOutcome(result as RunOutcome);
          setRanWith(running);
          if (!result.ok && result.line !== undefined) setMarker({ line: result.line, column: result.column, message: result.message });
        },
        onError: () => setOutcome(null),
      },
    );
  }, [inputs, test, tokenType]);

  // Ctrl/Cmd+Enter anywhere on the page (the editor handles its own and marks the event handled).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const onSave = () => {
    const parsed = inputs();
    if (!parsed) return;
    setMarker(null);
    const saving = latest.current;
    save.mutate(
      { tokenTypePath: tokenType, script: saving.script, environmentVariables: parsed.env, tokenSample: parsed.token, contextSample: parsed.context, blockIssuanceOnError: block, enabled },
      {
        onSuccess: (value) => {
          setBaseline(saving);
          // The API shows `enabled` only when it is false.
          setStored({ value: { ...value, enabled: value.enabled ?? true }, updatedAt: Date.now() });
          void refresh();
        },
        onError: (error) => {
          const problem = problemOf(error);
          const at = problem?.field === 'script' ? positionIn(problem.message) : null;
          if (at) setMarker({ ...at, message: problem!.message });
        },
      },
    );
  };

  /** Switches apply at once to a saved script (shown at once, undone if the server refuses); before the first save they are part of what is saved. */
  const setFlag = (field: 'enabled' | 'blockIssuanceOnError', value: boolean) => {
    const apply = field === 'enabled' ? setEnabled : setBlock;
    apply(value);
    if (!stored) return;
    update.mutate({ tokenTypePath: tokenType, [field]: value }, {
      onSuccess: (v) => {
        setStored({ value: { ...v, enabled: v.enabled ?? true }, updatedAt: Date.now() });
        void refresh();
      },
      onError: () => apply(!value),
    });
  };

  const onDelete = () =>
    remove.mutate({ tokenTypePath: tokenType }, {
      onSuccess: () => {
        const fresh = textsFrom(tokenType, null);
        setConfirmDelete(false);
        setStored(null);
        setBaseline(fresh);
        setTexts(fresh);
        setEnabled(true);
        setBlock(false);
        setOutcome(null);
        setMarker(null);
        void refresh();
      },
    });

  const typings = useMemo(() => typingsFor(tokenType), [tokenType]);
  const setText = (key: keyof Texts) => (value: string) => {
    setTexts({ ...latest.current, [key]: value });
    if (key === 'script') setMarker(null);
    if (key !== 'script') setInputError(null);
  };
  const status = !stored ? <Badge>not saved</Badge> : stored.value.enabled ? <Badge tone="success">active</Badge> : <Badge tone="warning">disabled</Badge>;

  return (
    <div className="playground" data-token-type={tokenType}>
      <Card
        className="playground-script"
        title="Script"
        description={<>Define <code>getCustomJwtClaims</code>. Hover an argument to see its type; <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> runs it.</>}
        actions={
          <div className="row">
            <span data-testid="status">{status}</span>
            {dirty ? <Badge tone="warning">unsaved changes</Badge> : null}
            <Button variant="secondary" icon="terminal" onClick={run} busy={test.isPending} data-testid="run">Run</Button>
            <Button variant="primary" icon="check" onClick={onSave} busy={save.isPending} disabled={!dirty && stored !== null} data-testid="save">Save</Button>
          </div>
        }
      >
        <CodeEditor
          path={`sigil/${tokenType}/getCustomJwtClaims.js`}
          language="javascript"
          value={texts.script}
          onChange={setText('script')}
          onRun={run}
          marker={marker}
          typings={typings}
          height={420}
          label="Claims script"
        />
        {save.error ? <ErrorNotice error={save.error} title="Not saved" /> : null}
        {stored ? <p className="muted small">Last saved {formatTime(stored.updatedAt)}.</p> : null}
      </Card>

      <Card title="Test inputs" className="playground-inputs">
        <div role="tablist" className="subtabs" aria-label="Test inputs">
          {INPUT_TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`subtab ${tab === t.id ? 'active' : ''}`} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <div role="tabpanel" aria-label={INPUT_TABS.find((t) => t.id === tab)!.label}>
          <p className="muted small">{INPUT_TABS.find((t) => t.id === tab)!.hint}</p>
          <CodeEditor
            path={`sigil/${tokenType}/${tab}.json`}
            language="json"
            value={texts[tab]}
            onChange={setText(tab)}
            onRun={run}
            height={220}
            label={INPUT_TABS.find((t) => t.id === tab)!.label}
          />
          <div className="row">
            <Button
              variant="ghost"
              onClick={() => setText(tab)(pretty(tab === 'token' ? TOKEN_SAMPLES[tokenType] : tab === 'context' ? CONTEXT_SAMPLES[tokenType] : ENV_SAMPLES[tokenType]))}
            >
              Reset to sample
            </Button>
          </div>
          {inputError ? <p className="field-error" role="alert">{inputError}</p> : null}
        </div>
      </Card>

      <Card title="Result" className="playground-result">
        {test.error ? <ErrorNotice error={test.error} /> : null}
        {outcome && ranWith && ranWith !== texts ? (
          <div className="notice notice-info small" data-testid="stale-result">The script or the inputs changed since this run: run again for the current result.</div>
        ) : null}
        {outcome ? (
          <ResultPanel outcome={outcome} blockIssuanceOnError={block} onReveal={() => !outcome.ok && outcome.line !== undefined && setMarker({ line: outcome.line, column: outcome.column, message: outcome.message })} />
        ) : (
          <p className="muted">Run the script to see the claims it returns and the token they produce.</p>
        )}
      </Card>

      <Card title="Settings" className="playground-settings">
        <div className="stack">
          <Switch
            label="Active"
            checked={enabled}
            disabled={update.isPending}
            onChange={(v) => setFlag('enabled', v)}
            description={stored ? 'Applies at once. A disabled script is kept but never runs (no cost at issuance).' : 'Applies when you save.'}
          />
          <Switch
            label="Block issuance when the script fails"
            checked={block}
            disabled={update.isPending}
            onChange={(v) => setFlag('blockIssuanceOnError', v)}
            description={
              <span data-testid="failure-policy">
                {block
                  ? <>On: if the script fails (error, timeout, memory, invalid result) the token request fails with <code>invalid_request</code>. Choose this when resource servers rely on these claims.</>
                  : <>Off: if the script fails, the token is issued <strong>without</strong> custom claims (as Logto does). Either way every failure is in the audit log as <code>{tokenType === 'client-credentials' ? 'JwtCustomizer.ClientCredentials' : 'JwtCustomizer.AccessToken'}</code>.</>}
                {' '}<code>api.denyAccess()</code> always refuses the token.
              </span>
            }
          />
          {update.error ? <ErrorNotice error={update.error} /> : null}
          {stored ? (
            <div className="row">
              <Button variant="danger" icon="trash" onClick={() => (remove.reset(), setConfirmDelete(true))}>Delete script</Button>
            </div>
          ) : null}
        </div>
      </Card>

      <ConfirmDialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete claims script"
        confirmLabel="Delete script"
        busy={remove.isPending}
        error={remove.error}
        onConfirm={onDelete}
      >
        <p>Tokens of this type are issued without custom claims from now on. The script, its samples and its environment variables are deleted.</p>
      </ConfirmDialog>
    </div>
  );
}
