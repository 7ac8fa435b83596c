// Monaco's base editor worker, bundled from the installed monaco-editor package (no CDN).
import 'monaco-editor/editor/editor.worker.js';
