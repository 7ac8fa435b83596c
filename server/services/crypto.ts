// Primitives for secrets, ids and envelope encryption. Why each choice:
// - app secrets, opaque tokens and subject tokens are machine-generated with >= 256 bits of entropy, so a
//   keyed fast hash (HMAC-SHA-256 with a server-side pepper) is the right storage: microseconds per check;
// - human passwords (console administrators, users) use Argon2i with Logto's parameters (memory-hard, in
//   worker threads: passwords/argon2.ts); scrypt hashes from earlier versions still verify;
// - private keys are encrypted with a per-key data key (AES-256-GCM), itself wrapped by a key-encryption
//   key derived from SIGIL_SECRET, so rotating SIGIL_SECRET only re-wraps data keys.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
  randomInt,
  scrypt as scryptCb,
  timingSafeEqual,
} from 'node:crypto';
import { argon2Check, argon2iHash } from './passwords/argon2.ts';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes are drawn from a pooled CSPRNG buffer refilled 4 KiB at a time: one syscall serves many
// ids on the token hot path. Bytes are never handed out twice.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomChunk(n: number): Buffer {
  if (n > pool.length) return randomBytes(n);
  if (poolOffset + n > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + n));
  poolOffset += n;
  return out;
}

/** Logto-style ids: 21 lowercase alphanumerics (~108 bits). */
export function randomId(length = 21): string {
  const bytes = randomChunk(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 252) out += ID_ALPHABET[b % 36]; // 252 = 7 * 36: no modulo bias
  }
  while (out.length < length) out += ID_ALPHABET[randomInt(36)];
  return out;
}

/**
 * An id of the same shape (21 lowercase alphanumerics) that sorts by creation time: 9 base-36 digits of the
 * millisecond clock (fixed width, so string order is time order until the year 5188), then 12 random ones
 * (~62 bits). For rows written in great numbers (audit records, opaque tokens): a new key lands at the right
 * edge of the primary-key B-tree instead of on a random page, so an insert touches the same few hot pages
 * however large the table grows.
 */
export function timeOrderedId(now = Date.now()): string {
  return now.toString(36).padStart(9, '0') + randomId(12);
}

/** 256 random bits, base64url (43 characters). Safe in Basic auth and form bodies without escaping. */
export function randomToken(bytes = 32): string {
  return randomChunk(bytes).toString('base64url');
}

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  // Compare against itself on length mismatch so timing does not reveal the length.
  return timingSafeEqual(ab, ab.length === bb.length ? bb : ab) && ab.length === bb.length;
}

// ---- Key encryption ------------------------------------------------------------------------------

export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('sigil/v1'), purpose, 32));
}

/** AES-256-GCM; output `v1.iv.ciphertext.tag` in base64url. `aad` binds the ciphertext to its owner. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function open(key: Buffer, sealed: string, aad: string): Buffer {
  const [version, iv, ct, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !ct || !tag) throw new Error('Malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

// ---- Passwords (Argon2i as Logto; scrypt hashes of earlier versions still verify) ----------------------

/** Parameters of the scrypt hashes Sigil wrote before it used Argon2i (read only now). */
function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number; keylen: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * A PHC string `$argon2i$v=19$m=8192,t=8,p=1$salt$hash`, exactly as Logto hashes (so Logto's
 * `passwordAlgorithm: "Argon2i"` and digests move between the two unchanged).
 */
export async function hashPassword(password: string): Promise<string> {
  return argon2iHash(password);
}

/** Whether an encoded hash is Sigil's current kind (older kinds are replaced at the next successful check). */
export const isCurrentPasswordHash = (encoded: string) => encoded.startsWith('$argon2i$');

/** Constant-time in both kinds: Argon2 compares raw hashes with timingSafeEqual in its worker, scrypt here. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (encoded.startsWith('$argon2')) return argon2Check(password, encoded);
  const [kind, n, r, p, salt, hash] = encoded.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash with the same cost as a real check, for unknown accounts (no user enumeration by timing). */
export const DUMMY_PASSWORD_HASH =
  '$argon2i$v=19$m=8192,t=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
