// Compact JWS signing (RFC 7515) with node:crypto's callback form, which runs the signature on libuv's
// thread pool instead of the event loop (WebCrypto's sign ran synchronously here, ~46 µs per ES256 token).
import { KeyObject, sign } from 'node:crypto';
import type { LiveKey } from '../signing-keys/key-set.ts';

const HASH: Record<string, string | null> = { ES256: 'sha256', ES384: 'sha384', RS256: 'sha256', EdDSA: null };

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

const b64u = (s: string) => Buffer.from(s).toString('base64url');

export async function signCompact(key: LiveKey, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const hash = HASH[key.alg];
  if (hash === undefined) throw new Error(`unsupported signing algorithm ${key.alg}`);
  const cryptoKey = await key.privateKey();
  let keyObject = keyObjects.get(cryptoKey);
  if (!keyObject) {
    keyObject = KeyObject.from(cryptoKey);
    keyObjects.set(cryptoKey, keyObject);
  }
  const input = `${b64u(JSON.stringify({ ...header, alg: key.alg, kid: key.kid }))}.${b64u(JSON.stringify(payload))}`;
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign(hash, Buffer.from(input), key.alg.startsWith('ES') ? { key: keyObject!, dsaEncoding: 'ieee-p1363' } : keyObject!, (err, sig) =>
      err ? reject(err) : resolve(sig),
    ),
  );
  return `${input}.${signature.toString('base64url')}`;
}
