// Private keys at rest and SIGIL_SECRET rotation: the database alone yields no usable private key; the
// rewrap CLI re-wraps everything end to end, with instances running (SIGIL_SECRET_PREVIOUS) and stopped.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnv } from '../../server/env.ts';
import { forgetInstanceKeys } from '../../server/services/instance-key.ts';
import { decryptPrivateJwk } from '../../server/services/signing-keys/store.ts';
import { basic, freshDatabase, managementClient, ROOT, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { issue, kidOf, openDb, resourceServer, type M2M } from './signing-keys.shared.ts';

const A = 'secret-A-0123456789-0123456789-0123456789';
const B = 'secret-B-0123456789-0123456789-0123456789';
const C = 'secret-C-0123456789-0123456789-0123456789';
const PRIVATE_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
const SEALED = /^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/;

describe('signing keys at rest and SIGIL_SECRET rotation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigil-keys-secret-'));
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let m2m: M2M;
  let firstToken: string;
  // Every instance serves one deployment: the first one's URL is the public URL (issuer) of all.
  let publicUrl: string | undefined;
  const running: Sigil[] = [];
  const start = async (env: Record<string, string>) => {
    const s = await startSigil({ databaseUrl: database.url, dataDir, env: { ...env, ...(publicUrl ? { SIGIL_PUBLIC_URL: publicUrl } : {}) } });
    running.push(s);
    return s;
  };
  const stopAll = async () => {
    while (running.length) await running.pop()!.stop();
  };
  const rows = async () => {
    const db = openDb(database.url);
    try {
      return await db.signingKey.findMany();
    } finally {
      await db.$disconnect();
    }
  };
  /** Decrypt in this process with the given secrets, as a server would. */
  const decryptWith = (row: Parameters<typeof decryptPrivateJwk>[0], secret: string, previous?: string) => {
    const saved = { s: process.env.SIGIL_SECRET, p: process.env.SIGIL_SECRET_PREVIOUS };
    process.env.SIGIL_SECRET = secret;
    if (previous) process.env.SIGIL_SECRET_PREVIOUS = previous;
    else delete process.env.SIGIL_SECRET_PREVIOUS;
    resetEnv();
    forgetInstanceKeys();
    try {
      return decryptPrivateJwk(row);
    } finally {
      for (const [k, v] of [['SIGIL_SECRET', saved.s], ['SIGIL_SECRET_PREVIOUS', saved.p]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnv();
    }
  };
  const rewrapCli = (oldSecret: string, newSecret: string) =>
    promisify(execFile)('npm', ['run', '--silent', 'sigil', '--', 'rewrap', '--old-secret', oldSecret, '--new-secret', newSecret], {
      cwd: ROOT,
      env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: database.url, SIGIL_DATA_DIR: dataDir, SIGIL_LOG_LEVEL: 'warn' },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  /** Token from `sigil`, verified against its JWKS, and the app's secret accepted (instance key usable). */
  const works = async (sigil: Sigil) => {
    const token = await issue(sigil, m2m);
    await resourceServer(sigil, m2m.indicator, `${publicUrl}/oidc`).verify(token);
    const intro = await fetch(`${sigil.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(m2m.app.id, m2m.app.secret) },
      body: new URLSearchParams({ token: firstToken }).toString(),
    });
    expect((await intro.json()).active).toBe(true);
    return token;
  };

  beforeAll(async () => {
    database = await freshDatabase(dataDir);
    const first = await start({ SIGIL_SECRET: A });
    publicUrl = first.url;
    m2m = await setupM2M(first);
    // Two keys of different kinds at rest: an RSA Current and the EC key it replaced.
    expect((await (await managementClient(first)).post('/api/configs/oidc/private-keys/rotate', { signingKeyAlgorithm: 'RSA-2048' })).status).toBe(200);
    firstToken = await issue(first, m2m);
  });
  afterAll(async () => {
    await stopAll();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the database holds no private key material in clear, and another SIGIL_SECRET cannot decrypt it', async () => {
    const stored = await rows();
    expect(stored.map((r) => r.algorithm).sort()).toEqual(['EC-P384', 'RSA-2048']);
    for (const row of stored) {
      const everything = JSON.stringify(row);
      for (const field of PRIVATE_FIELDS) {
        expect(row.publicJwk).not.toHaveProperty(field);
        expect(everything).not.toContain(`"${field}":`);
        expect(everything).not.toContain(`\\"${field}\\":`);
      }
      expect(row.encryptedPrivateKey).toMatch(SEALED);
      expect(row.wrappedDataKey).toMatch(SEALED);
      // A JSON object in base64url starts with "eyJ": no part of the stored values is one.
      for (const part of [...row.encryptedPrivateKey.split('.'), ...row.wrappedDataKey.split('.')]) expect(part.startsWith('eyJ')).toBe(false);

      expect(() => decryptWith(row, B)).toThrow(/SIGIL_SECRET does not match/);
      const jwk = decryptWith(row, A);
      expect(Object.keys(jwk)).toContain('d');
      // The decrypted key is the private half of the published key.
      const jwt = await new SignJWT({}).setProtectedHeader({ alg: row.alg }).sign(await importJWK(jwk, row.alg));
      await jwtVerify(jwt, await importJWK(row.publicJwk as JWK, row.alg));
    }
  });

  it('no downtime: an instance with SIGIL_SECRET=B and SIGIL_SECRET_PREVIOUS=A works before the rewrap, and after it', async () => {
    const withBoth = await start({ SIGIL_SECRET: B, SIGIL_SECRET_PREVIOUS: A });
    await works(withBoth);
    const result = await rewrapCli(A, B);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'Re-wrapped the instance key and 2 signing key(s) under the new SIGIL_SECRET.\n' });
    for (const row of await rows()) {
      expect(() => decryptWith(row, A)).toThrow(/SIGIL_SECRET does not match/);
      expect(decryptWith(row, B)).toHaveProperty('d');
    }
    // A config change makes every instance reload its key set from the re-wrapped rows.
    const onlyA = running[0]!;
    await (await managementClient(onlyA)).post('/api/roles', { name: 'after-rewrap', description: 'bumps the cache stamp' });
    await works(withBoth);
    // The instance started with A only keeps signing with the keys it has already decrypted.
    expect(kidOf(await works(onlyA))).toBe(kidOf(firstToken));
  }, 120_000);

  it('stopped server: rewrap B -> C with the CLI; C alone works, B alone no longer starts; a wrong old secret changes nothing', async () => {
    await stopAll();
    const wrong = await rewrapCli(A, C);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('neither --old-secret nor the new SIGIL_SECRET decrypts the stored keys; nothing was changed.');
    for (const row of await rows()) expect(decryptWith(row, B)).toHaveProperty('d');

    const result = await rewrapCli(B, C);
    expect(result.code).toBe(0);
    const onlyC = await start({ SIGIL_SECRET: C });
    const token = await works(onlyC);
    expect(kidOf(token)).toBe(kidOf(firstToken));
    await stopAll();
    await expect(start({ SIGIL_SECRET: B })).rejects.toThrow(/SIGIL_SECRET does not match/);
  }, 120_000);
});
