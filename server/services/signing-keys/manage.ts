// Listing, rotating and deleting signing keys: the lifecycle's pure plans applied inside one locked
// transaction, with their data event and the cache stamp (so every instance sees a write within
// SIGIL_CACHE_TTL_MS; promotion of a staged key needs no write at all).
import type { SigningKeyResponse, SigningKeyRotate } from '../../schemas/signing-keys.ts';
import { serializeWrites } from '../../db/dialect/index.ts';
import type { Tx } from '../../db/index.ts';
import type { Actor } from '../actor.ts';
import { emitDataEvent } from '../events/index.ts';
import { configChange } from '../transaction.ts';
import { DEFAULT_SIGNING_ALGORITHM, generateSigningKey, logtoKeyType, normalizeAlgorithm, type SigningAlgorithm } from './algorithms.ts';
import { resolvedKeySet } from './key-set.ts';
import { planDeletion, planRotation, resolveKeys, type KeyChange, type KeyState, type ResolvedKey } from './lifecycle.ts';
import { insertGeneratedKey } from './store.ts';

/** Same lock as start-up's first key, so a rotation never races bootstrap or another rotation. */
export const SIGNING_KEY_LOCK = 7428001;

type Described = KeyState & { algorithm: string; alg: string; createdAt: Date };

export function toSigningKeyResponse(k: ResolvedKey<Described>): SigningKeyResponse {
  const algorithm = k.algorithm as SigningAlgorithm;
  const keyType = logtoKeyType(algorithm);
  return {
    id: k.id,
    status: k.status,
    ...(keyType ? { signingKeyAlgorithm: keyType } : {}),
    algorithm,
    alg: k.alg,
    createdAt: Math.floor(k.createdAt.getTime() / 1000),
    effectiveAt: k.effectiveAt.getTime(),
    ...(k.status === 'Previous' && k.retiredAt ? { retiredAt: k.retiredAt.getTime() } : {}),
  };
}

export async function listSigningKeys(now = new Date()): Promise<SigningKeyResponse[]> {
  return (await resolvedKeySet(now)).map(toSigningKeyResponse);
}

/** Serialise writers of the key set, before anything is read (see `serializeWrites`). */
async function lockKeySet(tx: Tx): Promise<Described[]> {
  await serializeWrites(tx, SIGNING_KEY_LOCK);
  return (await tx.signingKey.findMany({ orderBy: { effectiveAt: 'asc' } })).map(toDescribed);
}

async function apply(tx: Tx, plan: KeyChange): Promise<void> {
  if (plan.remove.length) await tx.signingKey.deleteMany({ where: { id: { in: plan.remove } } });
  for (const u of plan.update) await tx.signingKey.update({ where: { id: u.id }, data: { status: u.status, retiredAt: u.retiredAt } });
}

/** The key set as stored after the change, resolved at the change's `now` (equals the plan's state). */
async function described(tx: Tx, now: Date): Promise<SigningKeyResponse[]> {
  const rows = await tx.signingKey.findMany({ orderBy: { effectiveAt: 'asc' } });
  return resolveKeys(rows.map(toDescribed), now).keys.map(toSigningKeyResponse);
}

function toDescribed(r: { id: string; status: string; effectiveAt: Date; retiredAt: Date | null; algorithm: string; alg: string; createdAt: Date }): Described {
  return { id: r.id, storedStatus: r.status as KeyState['storedStatus'], effectiveAt: r.effectiveAt, retiredAt: r.retiredAt, algorithm: r.algorithm, alg: r.alg, createdAt: r.createdAt };
}

export async function rotateSigningKeys(actor: Actor, request: SigningKeyRotate): Promise<SigningKeyResponse[]> {
  const grace = request.rotationGracePeriod ?? 0;
  // Without an explicit choice, Logto's default (EC P-384), whatever the Current key is. Generated before
  // locking: RSA-4096 takes up to seconds.
  const algorithm = request.signingKeyAlgorithm ? normalizeAlgorithm(request.signingKeyAlgorithm) : DEFAULT_SIGNING_ALGORITHM;
  const key = await generateSigningKey(algorithm);
  return configChange(async (tx) => {
    const rows = await lockKeySet(tx);
    const now = new Date();
    const plan = planRotation(rows, now, { newKeyId: key.kid, rotationGracePeriod: grace });
    const before = resolveKeys(rows, now).keys.map(toSigningKeyResponse);
    await apply(tx, plan);
    await insertGeneratedKey(tx, key, algorithm, plan.insert!.status, plan.insert!.effectiveAt);
    const after = await described(tx, now);
    await emitDataEvent(tx, actor, {
      event: 'SigningKey.Rotated',
      entity: 'SigningKey',
      entityId: key.kid,
      before,
      after: { keys: after, rotationGracePeriod: grace },
      data: after,
    });
    return after;
  });
}

export async function deleteSigningKey(actor: Actor, keyId: string): Promise<void> {
  await configChange(async (tx) => {
    const rows = await lockKeySet(tx);
    const now = new Date();
    const plan = planDeletion(rows, now, keyId);
    const deleted = resolveKeys(rows, now).keys.find((k) => k.id === keyId)!;
    await apply(tx, plan);
    await emitDataEvent(tx, actor, {
      event: 'SigningKey.Deleted',
      entity: 'SigningKey',
      entityId: keyId,
      before: toSigningKeyResponse(deleted),
      after: { keys: await described(tx, now) },
    });
  });
}
