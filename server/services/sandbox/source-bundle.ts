// How sandbox workers load their code when the server runs from TypeScript sources (`npm start` runs
// server/main.ts under tsx; vitest runs the unit tests): the worker's TypeScript (worker/main.ts and the
// QuickJS runner) is bundled once per process with esbuild (tsx's own compiler) into one plain .mjs file,
// QuickJS's JavaScript included, in a private temporary directory; every worker starts from that file.
//
// Why not simply load worker/main.ts: Node 20 does not give worker threads the parent's `--import tsx`
// hooks, and compiling through tsx's API inside each worker (worker/entry.mjs does that as a last resort)
// costs ~0.5-1 s of CPU per worker start, paid again for every worker that replaces a terminated one.
// From the bundle a worker starts in ~0.1-0.2 s. Next's production build does not come here: Turbopack
// bundles worker/entry.mjs itself (see pool.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let bundle: Promise<URL | null> | null = null;

/** The bundled worker entry, or null when esbuild is unavailable or fails (then entry.mjs is used). */
export function sourceBundle(): Promise<URL | null> {
  bundle ??= build();
  return bundle;
}

async function build(): Promise<URL | null> {
  try {
    // Not a static import: Next's build must not pull esbuild in (it never runs this function).
    const esbuild = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ 'esbuild');
    const result = await esbuild.build({
      // A path, not new URL(..., import.meta.url): Turbopack would copy main.ts into the build as an asset.
      entryPoints: [join(import.meta.dirname, 'worker', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    void esbuild.stop();
    // A directory of our own (mode 0700): no other local user can put code where a worker will load it.
    const dir = mkdtempSync(join(tmpdir(), 'sigil-sandbox-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'worker.mjs');
    writeFileSync(file, result.outputFiles[0]!.contents, { mode: 0o600 });
    return pathToFileURL(file);
  } catch (error) {
    console.error('[sigil] sandbox: could not bundle the worker from sources; workers will compile it themselves', error);
    return null;
  }
}
