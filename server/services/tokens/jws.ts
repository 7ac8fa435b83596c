// Compact JWS signing (RFC 7515) with node:crypto and a KeyObject kept per key: no JOSE library work per
// token, and the protected header's encoding is computed once per key.
import { createHash, KeyObject, sign } from 'node:crypto';
import { currentSigningKey, loadKeySet, type LiveKey } from '../signing-keys/key-set.ts';

const HASH: Record<string, string | null> = { ES256: 'sha256', ES384: 'sha384', RS256: 'sha256', EdDSA: null };

type Prepared = { headers: Map<string, string>; hash: string | null; key: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } };
const prepared = new WeakMap<LiveKey, Promise<Prepared>>();

function prepare(key: LiveKey): Promise<Prepared> {
  let p = prepared.get(key);
  if (!p) {
    p = (async () => {
      const hash = HASH[key.alg];
      if (hash === undefined) throw new Error(`unsupported signing algorithm ${key.alg}`);
      const keyObject = KeyObject.from(await key.privateKey());
      return {
        headers: new Map(),
        hash,
        key: key.alg.startsWith('ES') ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject,
      };
    })();
    prepared.set(key, p);
  }
  return p;
}

/** Sign a JWT with the given key; `typ` goes in the protected header (its encoding is kept per key). */
export async function signJwt(key: LiveKey, payload: Record<string, unknown>, typ: 'at+jwt' | 'JWT'): Promise<string> {
  const p = await prepare(key);
  let header = p.headers.get(typ);
  if (!header) {
    header = Buffer.from(JSON.stringify({ alg: key.alg, typ, kid: key.kid })).toString('base64url');
    p.headers.set(typ, header);
  }
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign(p.hash, Buffer.from(input), p.key).toString('base64url')}`;
}

/** Sign an RFC 9068 access token (`typ: at+jwt`) with the given key. */
export function signAccessToken(key: LiveKey, payload: Record<string, unknown>): Promise<string> {
  return signJwt(key, payload, 'at+jwt');
}

/** OIDC Core §3.1.3.6 `at_hash`: the left half of the access token's hash under the signing alg's hash. */
export function accessTokenHash(alg: string, accessToken: string): string {
  const digest = createHash(HASH[alg] ?? 'sha512').update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

// Which key signs now, memoised until the key set changes or the next scheduled promotion.
let memo: { set: LiveKey[]; key: LiveKey; until: number } | undefined;

export async function signingKeyNow(): Promise<LiveKey> {
  const set = await loadKeySet();
  const now = Date.now();
  if (memo && memo.set === set && now < memo.until) return memo.key;
  const key = await currentSigningKey(new Date(now));
  const nextChange = set.map((k) => k.effectiveAt.getTime()).filter((t) => t > now);
  memo = { set, key, until: Math.min(now + 1000, ...nextChange) };
  return key;
}
