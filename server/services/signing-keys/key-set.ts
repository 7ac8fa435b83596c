// The live key set: which key signs now and what JWKS publishes. Statuses are resolved by time
// (lifecycle.ts), so a Next key whose effectiveAt has passed signs in every process without a restart or
// a cron job; a rotation that writes (no grace period, deletion) reaches other processes through the
// cache stamp within SIGIL_CACHE_TTL_MS.
import { importJWK, type JWK } from 'jose';
import { db } from '../../db/index.ts';
import { cached } from '../cache.ts';
import { resolveKeys, type KeyStatus, type ResolvedKey } from './lifecycle.ts';
import { decryptPrivateJwk } from './store.ts';

export type LiveKey = {
  kid: string;
  /** Same as kid: lets the lifecycle functions take live keys as they are. */
  id: string;
  alg: string;
  algorithm: string;
  storedStatus: KeyStatus;
  effectiveAt: Date;
  createdAt: Date;
  retiredAt: Date | null;
  publicJwk: JWK;
  privateKey: () => Promise<CryptoKey>;
  publicKey: () => Promise<CryptoKey>;
};

type Row = { id: string; alg: string; encryptedPrivateKey: string; wrappedDataKey: string };

// Decrypted private keys by kid, kept across cache reloads: a kid is the thumbprint of its public key, so
// the entry can never go stale, and a process that has unwrapped a key keeps signing with it even after a
// `sigil rewrap` to a SIGIL_SECRET it was not started with.
const decrypted = new Map<string, Promise<CryptoKey>>();
const privateKeys = () => decrypted;

function privateKeyOf(row: Row): () => Promise<CryptoKey> {
  return () => {
    const keys = privateKeys();
    let key = keys.get(row.id);
    if (!key) {
      key = (async () => (await importJWK(decryptPrivateJwk(row), row.alg)) as CryptoKey)();
      keys.set(row.id, key);
      key.catch(() => keys.delete(row.id));
    }
    return key;
  };
}

function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export function loadKeySet(): Promise<LiveKey[]> {
  return cached('signing-keys', async () => {
    const rows = await db().signingKey.findMany({ orderBy: { effectiveAt: 'asc' } });
    const ids = new Set(rows.map((r) => r.id));
    for (const kid of privateKeys().keys()) if (!ids.has(kid)) privateKeys().delete(kid);
    return rows.map((row) => ({
      kid: row.id,
      id: row.id,
      alg: row.alg,
      algorithm: row.algorithm,
      storedStatus: row.status as KeyStatus,
      effectiveAt: row.effectiveAt,
      createdAt: row.createdAt,
      retiredAt: row.retiredAt,
      publicJwk: row.publicJwk as JWK,
      privateKey: privateKeyOf(row),
      publicKey: lazy(async () => (await importJWK(row.publicJwk as JWK, row.alg)) as CryptoKey),
    }));
  });
}

/** The key set as it stands at `now`: Next, Current, Previous; dropped keys left out. */
export async function resolvedKeySet(now = new Date()): Promise<Array<ResolvedKey<LiveKey>>> {
  return resolveKeys(await loadKeySet(), now).keys;
}

export async function currentSigningKey(now = new Date()): Promise<LiveKey> {
  const current = (await resolvedKeySet(now)).find((k) => k.status === 'Current');
  if (!current) throw new Error('No signing key: start-up creates one; was the database initialised?');
  return current;
}

/** Public JWK Set: Current, Next and Previous keys, so tokens verify across a rotation. */
export async function publicJwks(now = new Date()): Promise<{ keys: JWK[] }> {
  const keys = await resolvedKeySet(now);
  const order = { Current: 0, Next: 1, Previous: 2 } as const;
  return { keys: keys.toSorted((a, b) => order[a.status] - order[b.status]).map((k) => k.publicJwk) };
}

/**
 * Seconds a JWKS response may be cached. With a Next key pending: at most half the time until it signs,
 * so a cache filled after the rotation expires before then and a rotation that replaces the pending key
 * is seen in time. Otherwise `ceiling` (300 s): the bound a grace period must cover for resource servers
 * that honour Cache-Control and do not refetch on an unknown kid (README "Signing keys and SIGIL_SECRET").
 */
export async function jwksMaxAge(now = new Date(), ceiling = 300): Promise<number> {
  const upcoming = (await resolvedKeySet(now))
    .filter((k) => k.status === 'Next')
    .map((k) => Math.floor((k.effectiveAt.getTime() - now.getTime()) / 2000));
  return Math.max(0, Math.min(ceiling, ...upcoming));
}

/** A published key by kid (Next, Current or Previous); dropped keys no longer verify. */
export async function verificationKey(kid: string, now = new Date()): Promise<LiveKey | undefined> {
  return (await resolvedKeySet(now)).find((k) => k.kid === kid);
}
