// Rotate SIGIL_SECRET without downtime: running instances keep their unwrapped keys in memory; new ones
// start with SIGIL_SECRET=new and SIGIL_SECRET_PREVIOUS=old until this command has re-wrapped everything.
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
  const count = await db().$transaction(async (tx) => {
    const n = await rewrapSigningKeys(tx);
    return n;
  });
  await rewrapInstanceKey();
  console.log(`Re-wrapped the instance key and ${count} signing key(s) under the new SIGIL_SECRET.`);
  return 0;
}
