// `sigil rewrap --old-secret OLD [--new-secret NEW]`: re-wrap the instance key and every signing key's data
// key under a new SIGIL_SECRET, in one transaction (all or nothing). The private keys themselves and the
// instance key's value do not change, so tokens, app secrets and console sessions stay valid.
//
// Without downtime: first run every instance with SIGIL_SECRET=NEW and SIGIL_SECRET_PREVIOUS=OLD (they
// read data wrapped under either), then run this command, then drop SIGIL_SECRET_PREVIOUS. An instance
// still running with only OLD keeps the keys it has already decrypted, but cannot open anything it has
// not: finish the first step before this one.
import { db } from '../db/index.ts';
import { env, resetEnv } from '../env.ts';
import { forgetInstanceKeys, rewrapInstanceKey } from '../services/instance-key.ts';
import { rewrapSigningKeys } from '../services/signing-keys/store.ts';

export async function rewrap(oldSecret: string | undefined, newSecret: string | undefined): Promise<number> {
  if (!oldSecret) {
    console.error('sigil: --old-secret is required (the SIGIL_SECRET the data is encrypted with now)');
    return 64;
  }
  if (newSecret) process.env.SIGIL_SECRET = newSecret;
  process.env.SIGIL_SECRET_PREVIOUS = oldSecret;
  resetEnv();
  forgetInstanceKeys();
  env();
  try {
    const count = await db().$transaction(async (tx) => {
      const n = await rewrapSigningKeys(tx);
      await rewrapInstanceKey(tx);
      return n;
    });
    console.log(`Re-wrapped the instance key and ${count} signing key(s) under the new SIGIL_SECRET.`);
    return 0;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Cannot decrypt')) {
      console.error('sigil: neither --old-secret nor the new SIGIL_SECRET decrypts the stored keys; nothing was changed.');
      return 1;
    }
    throw error;
  }
}
