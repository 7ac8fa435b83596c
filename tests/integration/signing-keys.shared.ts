// Shared by the signing-key suites: token issuance, a jose "resource server", direct database reads.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify } from 'jose';
import { PrismaClient as SqliteClient } from '../../server/db/generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../../server/db/generated/postgresql/client.ts';
import type { Db } from '../../server/db/index.ts';
import { tokenRequest, type Sigil } from '../helpers/sigil.ts';

export type M2M = { indicator: string; app: { id: string; secret: string } };

export async function issue(sigil: Sigil, m2m: M2M): Promise<string> {
  const r = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator }, m2m.app);
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

export const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
export const algOf = (token: string) => decodeProtectedHeader(token).alg!;

/**
 * A resource server as most are written: jose's createRemoteJWKSet with its default caching (JWKS kept
 * 10 minutes; an unknown kid triggers a refetch unless the last fetch is under 30 s old). Counts fetches.
 */
export function resourceServer(sigil: Sigil, indicator: string, issuer = `${sigil.url}/oidc`) {
  const fetches: number[] = [];
  /** When each fetch's response arrived: jose stamps its cache right after (when the body is parsed). */
  const fetched: number[] = [];
  const jwks = createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`), {
    [customFetch]: async (url: string, init: RequestInit) => {
      fetches.push(Date.now());
      const res = await fetch(url, init);
      fetched.push(Date.now());
      return res;
    },
  });
  return {
    fetches,
    fetched,
    verify: (token: string) => jwtVerify(token, jwks, { issuer, audience: indicator }),
  };
}

export function openDb(url: string): Db {
  if (url.startsWith('file:')) {
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: url.slice(5), timeout: 5000 }, { timestampFormat: 'unixepoch-ms' }) });
  }
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) }) as unknown as Db;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** requestedAt <= the server's signing time <= issuedAt (one clock: same machine). */
export type Sample = { requestedAt: number; issuedAt: number; verifyAt: number; kid: string; ok: boolean; code?: string };

/**
 * Rotation under load: one client requests tokens back to back (a short pause between requests) and a
 * jose resource server verifies each, for `durationMs`; `rotate` runs once `rotateAfterMs` in. Returns
 * every sample, the rotation's response time and the resource server's JWKS fetch times.
 */
export async function loadAcrossRotation(
  sigil: Sigil,
  m2m: M2M,
  opts: { durationMs: number; rotateAfterMs: number; rotate: () => Promise<{ newKid: string; effectiveAt: number }> },
) {
  const rs = resourceServer(sigil, m2m.indicator);
  const samples: Sample[] = [];
  const start = Date.now();
  let rotation: { at: number; newKid: string; effectiveAt: number } | undefined;
  const rotating = sleep(opts.rotateAfterMs).then(async () => {
    const result = await opts.rotate();
    rotation = { at: Date.now(), ...result };
  });
  while (Date.now() - start < opts.durationMs) {
    const requestedAt = Date.now();
    const token = await issue(sigil, m2m);
    const issuedAt = Date.now();
    const verifyAt = Date.now();
    try {
      await rs.verify(token);
      samples.push({ requestedAt, issuedAt, verifyAt, kid: kidOf(token), ok: true });
    } catch (error) {
      samples.push({ requestedAt, issuedAt, verifyAt, kid: kidOf(token), ok: false, code: (error as { code?: string }).code });
    }
    await sleep(15);
  }
  await rotating;
  return { samples, rotation: rotation!, fetches: rs.fetches, fetched: rs.fetched, start };
}
