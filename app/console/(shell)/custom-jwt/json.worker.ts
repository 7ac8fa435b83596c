// Monaco's JSON language worker (the sample token, context and environment variable editors).
import 'monaco-editor/language/json/json.worker.js';
