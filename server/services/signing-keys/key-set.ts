// The live key set: which key signs now and what JWKS publishes. Statuses are resolved by time, so a
// Next key whose effectiveAt has passed signs in every process without a restart or a cron job.
import { importJWK, type JWK } from 'jose';
import { db } from '../../db/index.ts';
import { cached } from '../cache.ts';
import type { KeyStatus } from './store.ts';
import { decryptPrivateJwk } from './store.ts';

export type LiveKey = {
  kid: string;
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

function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export function loadKeySet(): Promise<LiveKey[]> {
  return cached('signing-keys', async () => {
    const rows = await db().signingKey.findMany({ orderBy: { effectiveAt: 'asc' } });
    return rows.map((row) => ({
      kid: row.id,
      alg: row.alg,
      algorithm: row.algorithm,
      storedStatus: row.status as KeyStatus,
      effectiveAt: row.effectiveAt,
      createdAt: row.createdAt,
      retiredAt: row.retiredAt,
      publicJwk: row.publicJwk as JWK,
      privateKey: lazy(async () => (await importJWK(decryptPrivateJwk(row), row.alg)) as CryptoKey),
      publicKey: lazy(async () => (await importJWK(row.publicJwk as JWK, row.alg)) as CryptoKey),
    }));
  });
}

/**
 * Effective status at `now`: among keys not retired, the one with the latest effectiveAt not in the
 * future is Current; later ones are Next; earlier ones Previous.
 */
export function resolveStatuses<K extends Pick<LiveKey, 'kid' | 'storedStatus' | 'effectiveAt'>>(
  keys: readonly K[],
  now: Date,
): Array<K & { status: KeyStatus }> {
  const live = keys.filter((k) => k.storedStatus !== 'Previous');
  const current = live
    .filter((k) => k.effectiveAt.getTime() <= now.getTime())
    .reduce<K | undefined>((best, k) => (!best || k.effectiveAt > best.effectiveAt ? k : best), undefined)
    ?? live[0];
  return keys.map((k) => {
    if (k.storedStatus === 'Previous') return { ...k, status: 'Previous' as const };
    if (k === current) return { ...k, status: 'Current' as const };
    return { ...k, status: k.effectiveAt.getTime() > now.getTime() ? ('Next' as const) : ('Previous' as const) };
  });
}

export async function currentSigningKey(now = new Date()): Promise<LiveKey> {
  const keys = await loadKeySet();
  const current = resolveStatuses(keys, now).find((k) => k.status === 'Current');
  if (!current) throw new Error('No signing key: start-up creates one; was the database initialised?');
  return current;
}

/** Public JWK Set: Next, Current and Previous keys, so tokens verify across a rotation. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  const keys = await loadKeySet();
  return { keys: keys.map((k) => k.publicJwk) };
}

/** Seconds a JWKS response may be cached: short enough that a pending Next key is seen before it signs. */
export async function jwksMaxAge(now = new Date(), ceiling = 300): Promise<number> {
  const keys = await loadKeySet();
  const upcoming = keys
    .filter((k) => k.storedStatus !== 'Previous' && k.effectiveAt.getTime() > now.getTime())
    .map((k) => Math.floor((k.effectiveAt.getTime() - now.getTime()) / 2000));
  return Math.max(0, Math.min(ceiling, ...upcoming));
}

export async function verificationKey(kid: string): Promise<LiveKey | undefined> {
  return (await loadKeySet()).find((k) => k.kid === kid);
}
