// Session cookie keys (Logto's "cookie keys", GET/rotate/delete under /api/configs/oidc/cookie-keys): the
// newest key signs `_session.sig`, every listed key verifies it, so a rotation keeps sessions alive until
// the previous key is deleted, and deleting a key signs out every session it signed. A key's material is
// derived from the instance key and the key's random id, so no secret is stored (and a SIGIL_SECRET rewrap
// needs nothing here). The list lives in the Setting table; reads go through the config cache.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { db, type Tx } from '../../db/index.ts';
import { cached } from '../cache.ts';
import { constantTimeEqual, randomId } from '../crypto.ts';
import { DomainError } from '../errors.ts';
import { instanceKeys } from '../instance-key.ts';
import { configChange } from '../transaction.ts';

const KEY = 'oidc-cookie-keys';
/** The new key and the one it replaces, as Logto keeps them. */
const KEEP = 2;

const stored = z.array(z.object({ id: z.string(), createdAt: z.number().int() }));
export type CookieKey = z.infer<typeof stored>[number];

function read(value: unknown): CookieKey[] {
  const parsed = stored.safeParse(value);
  return parsed.success ? parsed.data : [];
}

const fresh = (): CookieKey => ({ id: randomId(), createdAt: Math.floor(Date.now() / 1000) });

/** The keys, newest first; the first use creates one (concurrent first uses agree on the stored one). */
export async function listCookieKeys(): Promise<CookieKey[]> {
  return cached('cookie-keys', async () => {
    const row = await db().setting.findUnique({ where: { key: KEY } });
    const keys = read(row?.value);
    if (keys.length) return keys;
    await db().setting.upsert({ where: { key: KEY }, create: { key: KEY, value: [fresh()] }, update: {} });
    return read((await db().setting.findUniqueOrThrow({ where: { key: KEY } })).value);
  });
}

async function lockedKeys(tx: Tx): Promise<CookieKey[]> {
  // Never created yet: start from a new key here (the caller writes the list in this transaction).
  const keys = read((await tx.setting.findUnique({ where: { key: KEY } }))?.value);
  return keys.length ? keys : [fresh()];
}

export async function rotateCookieKeys(): Promise<CookieKey[]> {
  return configChange(async (tx) => {
    const keys = [fresh(), ...(await lockedKeys(tx))].slice(0, KEEP);
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: keys }, update: { value: keys } });
    return keys;
  });
}

export async function deleteCookieKey(id: string): Promise<void> {
  await configChange(async (tx) => {
    const keys = await lockedKeys(tx);
    if (!keys.some((k) => k.id === id)) throw new DomainError('not_found', 'oidc.key_not_found', `No cookie key with id ${id}.`, 'keyId');
    if (keys.length === 1) throw new DomainError('unprocessable', 'oidc.key_required', 'At least one cookie key must remain.', 'keyId');
    const rest = keys.filter((k) => k.id !== id);
    await tx.setting.update({ where: { key: KEY }, data: { value: rest } });
  });
}

async function sign(key: CookieKey, name: string, value: string): Promise<string> {
  const { pepper } = await instanceKeys();
  const material = createHmac('sha256', pepper).update(`sigil/cookie-key\u0000${key.id}`).digest();
  return createHmac('sha256', material).update(`${name}=${value}`).digest('base64url');
}

export async function signCookie(name: string, value: string): Promise<string> {
  return sign((await listCookieKeys())[0]!, name, value);
}

export async function verifyCookie(name: string, value: string, signature: string | undefined): Promise<boolean> {
  if (!signature || signature.length > 128) return false;
  let ok = false;
  // Every key is tried (no early exit), so the time taken does not tell which key matched.
  for (const key of await listCookieKeys()) if (constantTimeEqual(await sign(key, name, value), signature)) ok = true;
  return ok;
}
