// A user's password, the one check every path uses (the Management API's verify, password sign-in).
// Sigil's own hash is Argon2i with Logto's parameters (crypto.ts); scrypt hashes from earlier versions still
// verify and are replaced by Argon2i at the next successful check. Users imported from another system keep the digest they came with
// (Logto's `passwordDigest` + `passwordAlgorithm`), stored as `import$<algorithm>$<digest>` in the same
// column; the first successful check replaces it with Sigil's hash, so imported digests fade out.
import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { bcryptVerify } from 'hash-wasm';
import { db } from '../../db/index.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, isCurrentPasswordHash, verifyPassword } from '../crypto.ts';
import { DomainError, invalidInput, unprocessable } from '../errors.ts';
import { log } from '../../log.ts';
import { IMPORTED_ALGORITHMS, type ImportedAlgorithm } from '../../schemas/users.ts';

/** What `includePasswordHash` reports for Sigil's own hashes: Logto's name for Argon2i; `Scrypt` (not one of
 * Logto's names) for hashes from earlier versions until their next successful check replaces them. */
const ownAlgorithm = (stored: string) => (stored.startsWith('$argon2i$') ? 'Argon2i' : 'Scrypt');

const PREFIX = 'import$';

export function encodeImported(algorithm: ImportedAlgorithm, digest: string): string {
  if (algorithm === 'Legacy') parseLegacy(digest, true);
  return `${PREFIX}${algorithm}$${digest}`;
}

/** `{ passwordDigest, passwordAlgorithm }` as Logto's `includePasswordHash` shows them. */
export function describeHash(stored: string | null): { passwordDigest: string | null; passwordAlgorithm: string | null } {
  if (!stored) return { passwordDigest: null, passwordAlgorithm: null };
  const imported = decodeImported(stored);
  return imported ? { passwordDigest: imported.digest, passwordAlgorithm: imported.algorithm } : { passwordDigest: stored, passwordAlgorithm: ownAlgorithm(stored) };
}

function decodeImported(stored: string): { algorithm: ImportedAlgorithm; digest: string } | undefined {
  if (!stored.startsWith(PREFIX)) return undefined;
  const rest = stored.slice(PREFIX.length);
  const cut = rest.indexOf('$');
  const algorithm = rest.slice(0, cut) as ImportedAlgorithm;
  return cut > 0 && IMPORTED_ALGORITHMS.includes(algorithm) ? { algorithm, digest: rest.slice(cut + 1) } : undefined;
}

// ---- Legacy: Logto's `["algorithm", ["arg", "@", ...], "hex digest"]`, `@` standing for the password ----

type Legacy = { algorithm: string; args: string[]; digest: string };

function parseLegacy(value: string, strict: boolean): Legacy | undefined {
  const fail = (code: string, message: string) => {
    if (strict) throw new DomainError('invalid_input', code, message, 'passwordDigest'); // Logto: 400
    return undefined;
  };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return fail('password.invalid_legacy_password_format', 'passwordDigest: not a legacy password expression.');
  }
  const ok = Array.isArray(json) && json.length === 3 && typeof json[0] === 'string' && typeof json[2] === 'string'
    && Array.isArray(json[1]) && json[1].every((a) => typeof a === 'string') && json[1].includes('@');
  if (!ok) return fail('password.invalid_legacy_password_format', 'passwordDigest: expected ["algorithm", ["...", "@"], "digest"].');
  const [algorithm, args, digest] = json as [string, string[], string];
  if (!isLegacyAlgorithm(algorithm)) return fail('password.unsupported_legacy_hash_algorithm', `passwordDigest: unsupported algorithm \`${algorithm}\`.`);
  return { algorithm, args, digest };
}

function isLegacyAlgorithm(algorithm: string): boolean {
  if (algorithm === 'pbkdf2' || algorithm === 'pbkdf2Sync') return true;
  try {
    createHash(algorithm);
    return true;
  } catch {
    return false;
  }
}

function legacyHash({ algorithm, args }: Legacy, password: string): string {
  if (algorithm === 'pbkdf2' || algorithm === 'pbkdf2Sync') {
    const [salt, iterations, keylen, digest] = args.map((a) => (a === '@' ? password : a));
    const n = Number(iterations);
    const len = Number(keylen);
    if (!salt || !digest || !Number.isInteger(n) || n < 1 || n > 10_000_000 || !Number.isInteger(len) || len < 1 || len > 1024) return '';
    const saltBytes = salt.startsWith('hex:') ? Buffer.from(salt.slice(4), 'hex') : salt;
    return pbkdf2Sync(password, saltBytes, n, len, digest).toString('hex');
  }
  return createHash(algorithm).update(args.map((a) => (a === '@' ? password : a)).join('')).digest('hex');
}

// ---- Verification ---------------------------------------------------------------------------------

const hexDigest = (algorithm: string, password: string) => createHash(algorithm).update(password).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

async function verifyImported({ algorithm, digest }: { algorithm: ImportedAlgorithm; digest: string }, password: string): Promise<boolean> {
  try {
    switch (algorithm) {
      case 'Argon2i':
      case 'Argon2id':
      case 'Argon2d':
        return await verifyPassword(password, digest); // Argon2 in a worker, compared in constant time
      case 'Bcrypt':
        return await bcryptVerify({ password, hash: digest });
      case 'MD5':
        return sameText(hexDigest('md5', password), digest);
      case 'SHA1':
        return sameText(hexDigest('sha1', password), digest);
      case 'SHA256':
        return sameText(hexDigest('sha256', password), digest);
      case 'Legacy': {
        const legacy = parseLegacy(digest, false);
        return legacy !== undefined && sameText(legacyHash(legacy, password), legacy.digest);
      }
    }
  } catch {
    return false; // a malformed imported digest matches nothing
  }
}

/**
 * Whether `password` is this user's password. Unknown users (null) and users without a password cost the
 * same scrypt work, and so does a wrong password against a fast imported digest (MD5...), so timing does
 * not tell which users exist. A correct password against an imported digest upgrades it to Sigil's hash.
 */
export async function verifyUserPassword(user: { id: string; passwordHash: string | null } | null, password: string): Promise<boolean> {
  const stored = user?.passwordHash ?? null;
  const imported = stored ? decodeImported(stored) : undefined;
  if (!imported) {
    const ok = (await verifyPassword(password, stored ?? DUMMY_PASSWORD_HASH)) && stored !== null;
    if (ok && !isCurrentPasswordHash(stored!)) await upgrade(user!.id, stored!, password); // scrypt -> Argon2i
    return ok;
  }
  const ok = await verifyImported(imported, password);
  if (!ok) {
    if (!imported.algorithm.startsWith('Argon2') && imported.algorithm !== 'Bcrypt') await verifyPassword(password, DUMMY_PASSWORD_HASH);
    return false;
  }
  await upgrade(user!.id, stored!, password);
  return true;
}

/** Replace an imported digest or an older own hash with Sigil's hash, unless the password changed meanwhile. */
async function upgrade(userId: string, stored: string, password: string): Promise<void> {
  try {
    await db().user.updateMany({ where: { id: userId, passwordHash: stored }, data: { passwordHash: await hashPassword(password) } });
  } catch (err) {
    log.warn({ err, userId }, 'could not upgrade an imported password digest'); // the check itself succeeded
  }
}

/** Management API's verify: 204 or 422 `session.invalid_credentials`; an empty password is a 400 first. */
export async function assertUserPassword(user: { id: string; passwordHash: string | null }, password: string): Promise<void> {
  if (!password) throw invalidInput('password', 'must not be empty');
  if (!(await verifyUserPassword(user, password))) throw unprocessable('session.invalid_credentials', 'The password is incorrect.', 'password');
}
