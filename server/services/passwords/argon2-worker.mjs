// A password-hashing worker thread, started by ./argon2.ts as
//   new Worker(new URL('./argon2-worker.mjs', import.meta.url))
// Plain JavaScript importing only hash-wasm, so Node loads it as is from the sources (npm start, vitest) and
// Turbopack bundles it as a worker chunk of Next's build. Argon2 in WebAssembly is synchronous CPU work
// (~0.1 s at Logto's parameters): here it blocks this thread, never the one that answers requests.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { argon2d, argon2i, argon2id } from 'hash-wasm';

/** Logto's parameters (packages/core/src/workers/tasks/argon2i.ts, after OWASP): 8 MiB, 8 passes, 1 lane. */
const ARGON2I = { iterations: 8, parallelism: 1, memorySize: 8 * 1024, hashLength: 32 };

const VARIANTS = { argon2i, argon2d, argon2id };
/** `$argon2<v>$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>` (PHC, unpadded base64). */
const PHC = /^\$(argon2i|argon2d|argon2id)\$v=19\$m=(\d{1,7}),t=(\d{1,4}),p=(\d{1,3})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{16,})$/;

/**
 * hash-wasm's argon2Verify compares the encoded strings with `===`; this recomputes the raw hash and
 * compares it in constant time. Costs beyond 256 MiB or 64 passes (only an imported digest could ask for
 * them) match nothing rather than tie up the worker.
 */
async function verify(password, encoded) {
  const m = PHC.exec(encoded);
  if (!m) return false;
  const [, variant, memory, passes, lanes, salt, hash] = m;
  const expected = Buffer.from(hash, 'base64');
  const memorySize = Number(memory);
  const iterations = Number(passes);
  const parallelism = Number(lanes);
  if (memorySize > 256 * 1024 || iterations > 64 || parallelism < 1 || memorySize < 8 * parallelism || expected.length < 4) return false;
  const actual = await VARIANTS[variant]({
    password, salt: Buffer.from(salt, 'base64'), iterations, parallelism, memorySize, hashLength: expected.length, outputType: 'binary',
  });
  return timingSafeEqual(Buffer.from(actual), expected);
}

parentPort.on('message', async ({ id, op, password, hash }) => {
  try {
    const result = op === 'hash'
      ? await argon2i({ password, salt: randomBytes(16), ...ARGON2I, outputType: 'encoded' })
      : await verify(password, hash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
