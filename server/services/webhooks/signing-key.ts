// Hook signing keys. The API returns them as Logto does (receivers need the value), but at rest they are
// AES-256-GCM sealed under a key derived from the instance key, bound to the hook id: a database dump
// alone cannot forge webhooks. The instance key survives SIGIL_SECRET rotation (`sigil rewrap`).
import { randomBytes } from 'node:crypto';
import { hmacHex, open, seal } from '../crypto.ts';
import { instanceKeys } from '../instance-key.ts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 32 alphanumerics (~190 bits), the shape of Logto's `generateStandardSecret()`. */
export function newSigningKey(): string {
  let out = '';
  while (out.length < 32) {
    for (const b of randomBytes(48)) if (b < 248 && out.length < 32) out += ALPHABET[b % 62]; // 248 = 4 * 62
  }
  return out;
}

async function sealingKey(): Promise<Buffer> {
  return Buffer.from(hmacHex((await instanceKeys()).pepper, 'sigil:hook-signing-key'), 'hex');
}

const aad = (hookId: string) => `hook:${hookId}`;

export async function sealSigningKey(hookId: string, signingKey: string): Promise<string> {
  return seal(await sealingKey(), Buffer.from(signingKey, 'utf8'), aad(hookId));
}

export async function openSigningKey(hookId: string, stored: string): Promise<string> {
  return open(await sealingKey(), stored, aad(hookId)).toString('utf8');
}
