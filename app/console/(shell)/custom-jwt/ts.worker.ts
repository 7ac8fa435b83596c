// Monaco's JavaScript/TypeScript language worker (completion, hover, diagnostics for the claims script).
import 'monaco-editor/language/typescript/ts.worker.js';
