// The instance key: 32 random bytes made on first start, stored wrapped by the key-encryption key
// (derived from SIGIL_SECRET). Peppers for hashed secrets and the console session secret derive from it,
// so rotating SIGIL_SECRET (re-wrap) never invalidates app secrets or tokens.
import { randomBytes } from 'node:crypto';
import { db, type Tx } from '../db/index.ts';
import { env } from '../env.ts';
import { deriveKey, hmacHex, open, seal } from './crypto.ts';

const SETTING = 'instance-key';
const AAD = 'sigil:instance-key';

type Keys = { pepper: Buffer; sessionSecret: string; secretSeal: Buffer };
let loaded: Promise<Keys> | undefined;

export function keyEncryptionKeys(): Buffer[] {
  const keys = [deriveKey(env().secret, 'kek')];
  const previous = env().previousSecret;
  if (previous) keys.push(deriveKey(previous, 'kek'));
  return keys;
}

/** Unwrap with the current key-encryption key, or the previous one during a SIGIL_SECRET rotation. */
export function unwrap(sealed: string, aad: string): Buffer {
  let lastError: unknown;
  for (const kek of keyEncryptionKeys()) {
    try {
      return open(kek, sealed, aad);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Cannot decrypt ${aad}: SIGIL_SECRET does not match the one this data was encrypted with`, {
    cause: lastError,
  });
}

export function wrap(plaintext: Buffer, aad: string): string {
  return seal(keyEncryptionKeys()[0]!, plaintext, aad);
}

export function instanceKeys(): Promise<Keys> {
  loaded ??= load().catch((error) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function load(): Promise<Keys> {
  let row = await db().setting.findUnique({ where: { key: SETTING } });
  if (!row) {
    const wrapped = wrap(randomBytes(32), AAD);
    // Two processes may race on first start: the first insert wins, the other reads it.
    await db().setting.createMany({ data: [{ key: SETTING, value: wrapped }] }).catch(() => undefined);
    row = await db().setting.findUniqueOrThrow({ where: { key: SETTING } });
  }
  const root = unwrap(String(row.value), AAD);
  return {
    pepper: deriveSub(root, 'pepper'),
    sessionSecret: deriveSub(root, 'console-session').toString('base64url'),
    secretSeal: deriveSub(root, 'client-secret-seal'),
  };
}

function deriveSub(root: Buffer, purpose: string): Buffer {
  return Buffer.from(hmacHex(root, purpose), 'hex');
}

/** Keyed hash of a machine-generated secret (app secret, opaque token, subject token). */
export async function secretHash(value: string): Promise<string> {
  return hmacHex((await instanceKeys()).pepper, value);
}

/** SIGIL_CLIENT_SECRETS=retrievable: an app secret sealed under the instance key (survives SIGIL_SECRET rotation). */
export async function sealSecretValue(value: string, aad: string): Promise<string> {
  return seal((await instanceKeys()).secretSeal, Buffer.from(value, 'utf8'), aad);
}

export async function openSecretValue(sealed: string, aad: string): Promise<string> {
  return open((await instanceKeys()).secretSeal, sealed, aad).toString('utf8');
}

/**
 * Re-wrap the instance key under the current SIGIL_SECRET (used by `sigil rewrap`), inside the caller's
 * transaction when given so it commits together with the signing keys' data keys.
 */
export async function rewrapInstanceKey(tx?: Tx): Promise<void> {
  const client: Pick<Tx, 'setting'> = tx ?? db();
  const row = await client.setting.findUnique({ where: { key: SETTING } });
  if (!row) return;
  const root = unwrap(String(row.value), AAD);
  await client.setting.update({ where: { key: SETTING }, data: { value: wrap(root, AAD) } });
}

export function forgetInstanceKeys(): void {
  loaded = undefined;
}
