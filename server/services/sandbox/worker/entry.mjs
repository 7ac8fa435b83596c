// Entry of a sandbox worker thread, started by ../pool.ts as
//   new Worker(new URL('./worker/entry.mjs', import.meta.url))
// The same line has to work on both fronts, so this file is plain JavaScript that Node loads as is:
// - Next's production build (`next start`, Vercel): Turbopack recognises that `new Worker(new URL(...))`
//   form, bundles this file with everything it imports (main.ts and the sandbox, TypeScript compiled)
//   into a worker chunk of the build, and traces it like the rest of the server output. The import
//   below is then already compiled and succeeds.
// - Running from TypeScript sources (`npm start` = server/main.ts under tsx, and vitest): Node loads
//   this file itself, and cannot import .ts: Node 20 does not apply the parent thread's `--import tsx`
//   hooks to workers. The import fails with ERR_UNKNOWN_FILE_EXTENSION and tsx's API compiles main.ts
//   for this worker instead (tsx caches what it compiled on disk, so only the first start pays for it).
try {
  await import('./main.ts');
} catch (error) {
  if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  const { tsImport } = await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ 'tsx/esm/api');
  await tsImport('./main.ts', import.meta.url);
}
