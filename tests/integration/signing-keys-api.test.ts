// Signing keys through Logto's Management API on a real server: shapes, scopes, validation, staged and
// immediate rotation, deletion rules, every algorithm producing verifiable tokens, audit records.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, managementClient, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { algOf, issue, kidOf, openDb, sleep, type M2M } from './signing-keys.shared.ts';

const PATH = '/api/configs/oidc/private-keys';

describe('signing keys: Management API', () => {
  let sigil: Sigil;
  let m2m: M2M;
  // A fresh Management API token each time: rotations and deletions retire the key older tokens carry.
  const api = () => managementClient(sigil);
  const jwks = async () => {
    const res = await fetch(`${sigil.url}/oidc/jwks`);
    return { maxAge: Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1]), keys: (await res.json()).keys as Array<Record<string, string>> };
  };
  const introspect = async (token: string) => {
    const res = await fetch(`${sigil.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(m2m.app.id, m2m.app.secret) },
      body: new URLSearchParams({ token }).toString(),
    });
    return (await res.json()) as { active: boolean };
  };

  beforeAll(async () => {
    sigil = await startSigil();
    m2m = await setupM2M(sigil);
  });
  afterAll(async () => sigil?.stop());
  // One token per signing key as the suite goes: the deletion test needs one signed by a Previous key.
  const tokens = new Map<string, string>();
  beforeEach(async () => {
    const t = await issue(sigil, m2m);
    tokens.set(kidOf(t), t);
  });

  it("lists keys in Logto's shape plus Sigil's fields, never key material", async () => {
    const before = Date.now();
    const res = await (await api()).get(PATH);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [key] = res.body;
    expect(Object.keys(key).sort()).toEqual(['alg', 'algorithm', 'createdAt', 'effectiveAt', 'id', 'signingKeyAlgorithm', 'status']);
    expect(key).toMatchObject({ status: 'Current', signingKeyAlgorithm: 'EC', algorithm: 'EC-P384', alg: 'ES384' }); // Logto's default key
    // Logto's private-key createdAt is epoch seconds; effectiveAt epoch milliseconds.
    expect(key.createdAt).toBeGreaterThan(before / 1000 - 120);
    expect(key.createdAt).toBeLessThanOrEqual(Date.now() / 1000);
    expect(key.effectiveAt).toBeGreaterThan(before - 120_000);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([key.id]);
    expect(JSON.stringify(res.body)).not.toMatch(/"(d|p|q|dp|dq|qi|x|y|n|e)"/);
  });

  it('requires read:configs to list and write:configs to rotate or delete', async () => {
    const admin = await api();
    const scopes = (await admin.get('/api/resources/management-api/scopes?page_size=100')).body as Array<{ id: string; name: string }>;
    const readScope = scopes.find((s) => s.name === 'read:configs')!;
    const role = await admin.post('/api/roles', { name: 'config-reader', description: 'reads configs', type: 'MachineToMachine', scopeIds: [readScope.id] });
    const app = await admin.post('/api/applications', { name: 'Config reader', type: 'MachineToMachine' });
    await admin.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.body.id] });
    const reader = await managementClient(sigil, 'read:configs', { id: app.body.id, secret: app.body.secret });
    expect((await reader.get(PATH)).status).toBe(200);
    const rotate = await reader.post(`${PATH}/rotate`, {});
    expect(rotate.status).toBe(403);
    expect(rotate.body).toEqual({ code: 'auth.forbidden', message: 'The access token lacks the `write:configs` scope.' });
    expect((await reader.del(`${PATH}/whatever`)).status).toBe(403);
    expect((await (await api()).get(PATH)).body).toHaveLength(1);
  });

  it('refuses bad rotation input with 400 naming the field, changing nothing', async () => {
    const admin = await api();
    const cases: Array<[unknown, string]> = [
      [{ signingKeyAlgorithm: 'DSA' }, 'signingKeyAlgorithm'],
      [{ signingKeyAlgorithm: 'ec' }, 'signingKeyAlgorithm'],
      [{ rotationGracePeriod: -1 }, 'rotationGracePeriod'],
      [{ rotationGracePeriod: 1.5 }, 'rotationGracePeriod'],
      [{ rotationGracePeriod: 30 * 24 * 3600 + 1 }, 'rotationGracePeriod'],
      [{ rotationGracePeriod: '60' }, 'rotationGracePeriod'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post(`${PATH}/rotate`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'guard.invalid_input', field });
    }
    expect((await admin.get(PATH)).body).toHaveLength(1);
  });

  it('staged rotation: Next is published at once, signs only after the grace period, then the old key is Previous', async () => {
    const admin = await api();
    const [old] = (await admin.get(PATH)).body;
    const t0 = Date.now();
    const res = await admin.post(`${PATH}/rotate`, { rotationGracePeriod: 4 });
    expect(res.status).toBe(200);
    const [next, current] = res.body;
    expect(res.body.map((k: { status: string }) => k.status)).toEqual(['Next', 'Current']);
    expect(current.id).toBe(old.id);
    expect(next.algorithm).toBe('EC-P384'); // omitted: Logto's default, EC (P-384)
    expect(next.effectiveAt).toBeGreaterThanOrEqual(t0 + 4000);
    expect(next.effectiveAt).toBeLessThanOrEqual(Date.now() + 4000);

    // Published at once, with a cache lifetime of at most half the time until it signs.
    const published = await jwks();
    expect(published.keys.map((k) => k.kid).sort()).toEqual([old.id, next.id].sort());
    expect(published.maxAge).toBeLessThanOrEqual(Math.floor((next.effectiveAt - Date.now()) / 2000) + 1);
    expect(published.maxAge).toBeLessThanOrEqual(2);

    // Still the old key until effectiveAt.
    expect(kidOf(await issue(sigil, m2m))).toBe(old.id);
    // An immediate rotation while Next is pending: Logto's 422; deleting Next or Current: 422.
    const immediate = await admin.post(`${PATH}/rotate`, { rotationGracePeriod: 0 });
    expect(immediate.status).toBe(422);
    expect(immediate.body).toMatchObject({ code: 'oidc.invalid_request', field: 'rotationGracePeriod' });
    for (const id of [next.id, old.id]) {
      const del = await admin.del(`${PATH}/${id}`);
      expect(del.status).toBe(422);
      expect(del.body.code).toBe('oidc.only_previous_key_can_be_deleted');
    }

    await sleep(Math.max(0, next.effectiveAt - Date.now()) + 50);
    const token = await issue(sigil, m2m);
    expect(kidOf(token)).toBe(next.id);
    const after = (await (await api()).get(PATH)).body;
    expect(after.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([[next.id, 'Current'], [old.id, 'Previous']]);
    expect(after[1].retiredAt).toBe(next.effectiveAt);
    expect((await jwks()).maxAge).toBe(300);
  });

  it('a staged rotation replaces a pending Next key; an immediate one drops the older Previous (at most three keys)', async () => {
    const admin = await api();
    const first = (await admin.post(`${PATH}/rotate`, { rotationGracePeriod: 600 })).body;
    expect(first.map((k: { status: string }) => k.status)).toEqual(['Next', 'Current', 'Previous']);
    const second = (await admin.post(`${PATH}/rotate`, { rotationGracePeriod: 2 })).body;
    expect(second.map((k: { status: string }) => k.status)).toEqual(['Next', 'Current', 'Previous']);
    expect(second[0].id).not.toBe(first[0].id);
    expect(second.slice(1)).toEqual(first.slice(1));
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(first[0].id);
    await sleep(Math.max(0, second[0].effectiveAt - Date.now()) + 50);
    // Promotion by time: the key that was Previous is dropped at that moment.
    const promoted = (await (await api()).get(PATH)).body;
    expect(promoted.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([[second[0].id, 'Current'], [second[1].id, 'Previous']]);
    expect((await jwks()).keys).toHaveLength(2);

    const immediate = (await (await api()).post(`${PATH}/rotate`, {})).body;
    expect(immediate.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([[immediate[0].id, 'Current'], [second[0].id, 'Previous']]);
    expect(kidOf(await issue(sigil, m2m))).toBe(immediate[0].id);
  });

  it('deletes only a Previous key, never the last one; a deleted key no longer verifies', async () => {
    const admin = await api();
    const unknown = await admin.del(`${PATH}/no-such-key`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'oidc.key_not_found' });

    // The token kept before this test was signed by the Current key; after this rotation it is Previous.
    const [wasCurrent] = (await admin.get(PATH)).body;
    const signedByPrevious = tokens.get(wasCurrent.id)!;
    const keys = (await admin.post(`${PATH}/rotate`, {})).body;
    expect(keys.map((k: { id: string; status: string }) => [k.id, k.status])).toEqual([[keys[0].id, 'Current'], [wasCurrent.id, 'Previous']]);
    expect((await introspect(signedByPrevious)).active).toBe(true);

    const del = await (await api()).del(`${PATH}/${wasCurrent.id}`);
    expect(del.status).toBe(204);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([keys[0].id]);
    expect((await introspect(signedByPrevious)).active).toBe(false);
    const again = await (await api()).del(`${PATH}/${wasCurrent.id}`);
    expect(again.status).toBe(422); // one key left: Logto checks key_required first
    const last = await (await api()).del(`${PATH}/${keys[0].id}`);
    expect(last.status).toBe(422);
    expect(last.body).toMatchObject({ code: 'oidc.key_required' });
    expect((await (await api()).get(PATH)).body).toHaveLength(1);
  });

  it('every algorithm signs verifiable tokens once Current (ES256, ES384, RS256 2048/4096, EdDSA; Logto aliases)', async () => {
    const expected: Array<[string, string, string, Record<string, unknown>]> = [
      ['EC-P384', 'EC-P384', 'ES384', { kty: 'EC', crv: 'P-384' }],
      ['RSA-2048', 'RSA-2048', 'RS256', { kty: 'RSA' }],
      ['RSA-4096', 'RSA-4096', 'RS256', { kty: 'RSA' }],
      ['Ed25519', 'Ed25519', 'EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
      ['EC', 'EC-P384', 'ES384', { kty: 'EC', crv: 'P-384' }], // Logto's aliases: what Logto generates
      ['RSA', 'RSA-4096', 'RS256', { kty: 'RSA' }],
      ['EC-P256', 'EC-P256', 'ES256', { kty: 'EC', crv: 'P-256' }],
    ];
    for (const [input, algorithm, alg, shape] of expected) {
      const res = await (await api()).post(`${PATH}/rotate`, { signingKeyAlgorithm: input });
      expect(res.status, input).toBe(200);
      const [current] = res.body;
      expect(current).toMatchObject({ status: 'Current', algorithm, alg });
      if (algorithm === 'Ed25519') expect(current.signingKeyAlgorithm).toBeUndefined();
      else expect(current.signingKeyAlgorithm).toBe(algorithm.split('-')[0]);
      const token = await issue(sigil, m2m);
      expect([kidOf(token), algOf(token)]).toEqual([current.id, alg]);
      const published = (await jwks()).keys.find((k) => k.kid === current.id)!;
      expect(published).toMatchObject({ ...shape, alg, use: 'sig' });
      expect(published.d).toBeUndefined();
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { issuer: `${sigil.url}/oidc`, audience: m2m.indicator });
      expect(payload.client_id).toBe(m2m.app.id);
      expect((await introspect(token)).active).toBe(true);
    }
    // Omitted algorithm: Logto's default (EC P-384), whatever the Current key is.
    await (await api()).post(`${PATH}/rotate`, { signingKeyAlgorithm: 'RSA-2048' });
    const rotated = (await (await api()).post(`${PATH}/rotate`, {})).body;
    expect(rotated[0]).toMatchObject({ status: 'Current', algorithm: 'EC-P384', alg: 'ES384' });
    // Discovery declares what every usable key verifies, as Logto (oidc-provider): RSA keys PS256 and RS256.
    const discovery = await (await fetch(`${sigil.url}/oidc/.well-known/openid-configuration`)).json();
    expect(discovery.id_token_signing_alg_values_supported).toEqual(['ES384', 'PS256', 'RS256']);
    const previous = rotated.find((k: { status: string }) => k.status === 'Previous');
    expect((await (await api()).del(`${PATH}/${previous.id}`)).status).toBe(204);
    const after = await (await fetch(`${sigil.url}/oidc/.well-known/openid-configuration`)).json();
    expect(after.id_token_signing_alg_values_supported).toEqual(['ES384']);
  });

  it('records SigningKey.Rotated and SigningKey.Deleted audit entries without key material', async () => {
    const db = openDb(sigil.databaseUrl);
    try {
      const rows = await db.auditLog.findMany({ where: { key: { in: ['SigningKey.Rotated', 'SigningKey.Deleted'] } }, orderBy: { createdAt: 'asc' } });
      const counts = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.key]: (acc[r.key] ?? 0) + 1 }), {});
      // 1 staged + 2 (replace) + 1 immediate + 1 (deletion test) + 9 (algorithms) rotations; 2 deletions
      // (the deletion test, and the RSA key in the algorithms test).
      expect(counts).toEqual({ 'SigningKey.Rotated': 14, 'SigningKey.Deleted': 2 });
      for (const r of rows) {
        expect(r.applicationId).toBe('bootstrap-admin');
        expect(JSON.stringify(r.payload)).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
        expect(JSON.stringify(r.payload)).not.toMatch(/encryptedPrivateKey|wrappedDataKey/);
      }
      for (const deleted of rows.filter((r) => r.key === 'SigningKey.Deleted')) {
        expect(deleted.payload).toMatchObject({ entity: 'SigningKey', before: { status: 'Previous' } });
      }
    } finally {
      await db.$disconnect();
    }
  });
});
