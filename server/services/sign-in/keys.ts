// Keyed digests for the sign-in flow, each under its own purpose so that no value made for one use is
// valid for another: form tokens (CSRF), refresh-token successors (session cookies: cookie-keys.ts). Keys derive
// from the instance key (so they survive a SIGIL_SECRET rewrap and agree across instances).
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../crypto.ts';
import { instanceKeys } from '../instance-key.ts';

export type Purpose = 'sign-in-form' | 'end-session-form' | 'refresh-successor';

export async function keyedDigest(purpose: Purpose, value: string): Promise<string> {
  const { pepper } = await instanceKeys();
  return createHmac('sha256', pepper).update(`sigil/${purpose}\u0000${value}`).digest('base64url');
}

export async function checkKeyedDigest(purpose: Purpose, value: string, presented: string | undefined): Promise<boolean> {
  if (!presented || presented.length > 128) return false;
  return constantTimeEqual(await keyedDigest(purpose, value), presented);
}
