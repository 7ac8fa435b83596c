// QuickJS's WebAssembly binary, compiled once by the server thread and handed to every sandbox worker
// (a WebAssembly.Module can be shared between threads), so a worker that replaces a terminated one is
// ready in milliseconds instead of compiling ~1 MB of WebAssembly again.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Reads and compiles QuickJS's .wasm from node_modules; null when it cannot be found. */
export async function compileQuickJsWasm(): Promise<WebAssembly.Module | null> {
  try {
    // Resolved through quickjs-emscripten (a server external package in next.config.mjs, whose
    // outputFileTracingIncludes ship the .wasm), so it works from sources and from Next's build alike.
    const fromHere = createRequire(import.meta.url);
    const quickjsEntry = fromHere.resolve('quickjs-emscripten');
    const path = createRequire(quickjsEntry).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    return await WebAssembly.compile(readFileSync(path));
  } catch {
    return null;
  }
}
