// Signing keys at rest: envelope encryption. Each private JWK is sealed with its own random data key
// (AES-256-GCM); the data key is wrapped by the key-encryption key derived from SIGIL_SECRET. The
// database alone therefore yields no usable private key.
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { Tx } from '../../db/index.ts';
import { open, seal } from '../crypto.ts';
import { unwrap, wrap } from '../instance-key.ts';
import { generateSigningKey, type GeneratedKey, type SigningAlgorithm } from './algorithms.ts';
import type { KeyStatus } from './lifecycle.ts';

export type { KeyStatus };

const dataKeyAad = (kid: string) => `sigil:signing-key:${kid}`;

export async function insertSigningKey(
  tx: Tx,
  algorithm: SigningAlgorithm,
  status: KeyStatus,
  effectiveAt: Date,
): Promise<string> {
  const key = await generateSigningKey(algorithm);
  await insertGeneratedKey(tx, key, algorithm, status, effectiveAt);
  return key.kid;
}

/** Store a key generated beforehand (generation, slow for RSA-4096, stays outside the locked transaction). */
export async function insertGeneratedKey(
  tx: Tx,
  key: GeneratedKey,
  algorithm: SigningAlgorithm,
  status: KeyStatus,
  effectiveAt: Date,
): Promise<void> {
  const dataKey = randomBytes(32);
  await tx.signingKey.create({
    data: {
      id: key.kid,
      status,
      alg: key.alg,
      algorithm,
      publicJwk: key.publicJwk as object,
      encryptedPrivateKey: seal(dataKey, Buffer.from(JSON.stringify(key.privateJwk)), key.kid),
      wrappedDataKey: wrap(dataKey, dataKeyAad(key.kid)),
      effectiveAt,
    },
  });
}

export function decryptPrivateJwk(row: { id: string; encryptedPrivateKey: string; wrappedDataKey: string }): JWK {
  const dataKey = unwrap(row.wrappedDataKey, dataKeyAad(row.id));
  return JSON.parse(open(dataKey, row.encryptedPrivateKey, row.id).toString('utf8')) as JWK;
}

/** Re-wrap every data key under the current SIGIL_SECRET (keys are unwrapped with the previous one). */
export async function rewrapSigningKeys(tx: Tx): Promise<number> {
  const rows = await tx.signingKey.findMany();
  for (const row of rows) {
    const dataKey = unwrap(row.wrappedDataKey, dataKeyAad(row.id));
    await tx.signingKey.update({ where: { id: row.id }, data: { wrappedDataKey: wrap(dataKey, dataKeyAad(row.id)) } });
  }
  return rows.length;
}
