'use client';
// Monaco, from the installed monaco-editor package: never a CDN. Loaded only in the browser (the page
// imports this file with next/dynamic, ssr: false). @monaco-editor/react is handed our monaco instance,
// so its loader fetches nothing; the language workers are module workers built from three tiny local
// entry files (paths under monaco-editor/esm/vs/... do not resolve through the package's exports map).
import Editor, { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import { useEffect, useRef, useState } from 'react';

declare global {
  // eslint-disable-next-line no-var
  var MonacoEnvironment: monaco.Environment | undefined;
}

globalThis.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    if (label === 'typescript' || label === 'javascript') return new Worker(new URL('./ts.worker.ts', import.meta.url), { type: 'module' });
    if (label === 'json') return new Worker(new URL('./json.worker.ts', import.meta.url), { type: 'module' });
    return new Worker(new URL('./editor.worker.ts', import.meta.url), { type: 'module' });
  },
};
loader.config({ monaco });

// The script runs in QuickJS (ES2023) with no DOM: only the ES library plus our declarations.
const js = monaco.typescript.javascriptDefaults;
js.setCompilerOptions({
  target: monaco.typescript.ScriptTarget.ES2020,
  lib: ['es2020'],
  allowJs: true,
  allowNonTsExtensions: true,
});
js.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
js.setEagerModelSync(true);

let typingsLib: { typings: string; disposable: monaco.IDisposable } | null = null;
/** One declaration file at a time: both token types declare the same names with different shapes. */
function useTypings(typings: string | undefined): void {
  useEffect(() => {
    if (!typings || typingsLib?.typings === typings) return;
    typingsLib?.disposable.dispose();
    typingsLib = { typings, disposable: js.addExtraLib(typings, 'ts:sigil/custom-jwt.d.ts') };
  }, [typings]);
}

export type EditorMarker = { line: number; column?: number; message: string } | null;

const MARKER_OWNER = 'sigil-run';

function prefersDark(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches;
}

export default function CodeEditor({ path, language, value, onChange, onRun, marker, typings, height, label }: {
  /** Model path: keeps one model (and undo history) per editor. */
  path: string;
  language: 'javascript' | 'json';
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun?: () => void;
  /** A failure position from the last run: marked (squiggle, line highlight, glyph) and scrolled to. */
  marker?: EditorMarker;
  typings?: string;
  height: number | string;
  label: string;
}) {
  useTypings(typings);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const runRef = useRef(onRun);
  runRef.current = onRun;
  const [mounted, setMounted] = useState(false);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (!marker) {
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      decorations.current?.clear();
      return;
    }
    const line = Math.min(Math.max(1, marker.line), model.getLineCount());
    const startColumn = Math.min(Math.max(1, marker.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1), model.getLineMaxColumn(line));
    const endColumn = Math.max(startColumn + 1, model.getLineMaxColumn(line));
    monaco.editor.setModelMarkers(model, MARKER_OWNER, [
      { startLineNumber: line, startColumn, endLineNumber: line, endColumn, message: marker.message, severity: monaco.MarkerSeverity.Error },
    ]);
    decorations.current ??= editor.createDecorationsCollection();
    decorations.current.set([
      { range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, className: 'sigil-error-line', glyphMarginClassName: 'sigil-error-glyph', glyphMarginHoverMessage: { value: marker.message } } },
    ]);
    editor.revealLineInCenterIfOutsideViewport(line);
    editor.setPosition({ lineNumber: line, column: startColumn });
  }, [marker, mounted, path]);

  return (
    <div className="code-editor" data-editor={path} style={{ height }}>
      <Editor
        height={height}
        path={path}
        language={language}
        value={value}
        theme={prefersDark() ? 'vs-dark' : 'vs'}
        loading={<span className="muted small">Loading editor…</span>}
        onChange={(v) => onChange(v ?? '')}
        onMount={(editor) => {
          editorRef.current = editor;
          editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => runRef.current?.());
          setMounted(true);
        }}
        options={{
          ariaLabel: label,
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          glyphMargin: language === 'javascript',
          fixedOverflowWidgets: true,
          wordWrap: language === 'json' ? 'on' : 'off',
        }}
      />
    </div>
  );
}
