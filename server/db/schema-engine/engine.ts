// The WebAssembly schema engine (@prisma/schema-engine-wasm): loaded once per process, opened over a
// driver-adapter factory (./adapters.ts) with the schema rendered from prisma/models.prisma. Its errors
// become Errors carrying Prisma's code (P1014, P3009, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderSchema, type Provider } from '../migrations/paths.ts';
import type { TrackingFactory } from './adapters.ts';

type EngineModule = typeof import('@prisma/schema-engine-wasm');
type Engine = import('@prisma/schema-engine-wasm').SchemaEngine;

let enginePromise: Promise<EngineModule> | undefined;

/** Instantiates schema_engine_bg.wasm once per process (the package's own entry imports .wasm as ESM). */
function loadEngine(root: string): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(msg: string): void } };
    // The engine reports Rust panics here before it throws; keep the message for the error.
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(msg: string) {
        lastPanic = msg;
      },
    };
    const dir = join(root, 'node_modules', '@prisma', 'schema-engine-wasm');
    const bg = (await import(
      /* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(join(dir, 'schema_engine_bg.js')).href
    )) as EngineModule & { __wbg_set_wasm(exports: unknown): void };
    const module = new WebAssembly.Module(readFileSync(join(dir, 'schema_engine_bg.wasm')));
    // The engine races its async work against JS timers (10 s, 60 s) and never clears them: unref them
    // so that they do not keep a finished CLI process alive for a minute. (Firing later is harmless.)
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports)) {
      if (key.startsWith('__wbg_setTimeout_')) {
        imports[key] = (callback: () => void, ms: number) => {
          const timer = setTimeout(callback, ms >>> 0);
          timer.unref?.();
          return timer;
        };
      }
    }
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  enginePromise.catch(() => (enginePromise = undefined));
  return enginePromise;
}

let lastPanic: string | undefined;

/** Engine errors arrive as objects/JSON strings with a Prisma error code (P1014, P3009, ...). */
export function engineError(e: unknown, what: string): Error {
  if (lastPanic) {
    const msg = lastPanic;
    lastPanic = undefined;
    return new Error(`schema engine panicked during ${what}: ${msg}`);
  }
  if (e instanceof Error) {
    const err = new Error(`${what} failed: ${e.message}`, { cause: e }) as Error & { code?: string };
    const code = errorCode(e);
    if (code) err.code = code;
    return err;
  }
  return new Error(`${what} failed: ${typeof e === 'string' ? e : JSON.stringify(e)}`);
}

function errorCode(e: unknown): string | undefined {
  const anyE = e as { code?: unknown; error_code?: unknown; message?: unknown };
  if (typeof anyE?.code === 'string') return anyE.code;
  if (typeof anyE?.error_code === 'string') return anyE.error_code;
  const m = typeof anyE?.message === 'string' ? anyE.message.match(/\b(P\d{4})\b/) : null;
  return m?.[1];
}

export interface Session {
  engine: Engine;
  close(): Promise<void>;
}

export async function openEngine(provider: Provider, factory: TrackingFactory, root: string, log?: (m: string) => void): Promise<Session> {
  const mod = await loadEngine(root);
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const schema = renderSchema(provider, root);
  const logger = (line: string) => {
    if (process.env.SIGIL_MIGRATE_DEBUG) (log ?? console.error)(`[schema-engine] ${line}`);
  };
  let engine: Engine;
  try {
    engine = await mod.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      logger,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  } catch (e) {
    await factory.disposeAll();
    throw engineError(e, 'starting the schema engine');
  }
  return {
    engine,
    async close() {
      try {
        engine.free();
      } catch {
        // already freed
      }
      await factory.disposeAll();
    },
  };
}

export const NO_FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };
