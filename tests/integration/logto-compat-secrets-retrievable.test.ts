// SIGIL_CLIENT_SECRETS=retrievable (issue 16, "Client secrets"): Logto's shape, where a secret is read back
// from GET /applications/:id/secrets. At rest a secret is still only a keyed hash plus a value sealed under
// the instance key (never plaintext), and verification still uses the hash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

let sigil: Sigil;
let api: Awaited<ReturnType<typeof managementClient>>;

beforeAll(async () => {
  sigil = await startSigil({ env: { SIGIL_CLIENT_SECRETS: 'retrievable' } });
  api = await managementClient(sigil);
});
afterAll(async () => sigil?.stop());

describe('retrievable client secrets', () => {
  it('create has no secret property; the list shows every value, and the values work at /oidc/token', async () => {
    const indicator = `https://api.example/${Date.now()}`;
    const resource = (await api.post('/api/resources', { name: 'R', indicator })).body;
    const scope = (await api.post(`/api/resources/${resource.id}/scopes`, { name: 'read' })).body;
    const role = (await api.post('/api/roles', { name: `r-${Date.now()}`, description: 'd', type: 'MachineToMachine', scopeIds: [scope.id] })).body;
    const app = await api.post('/api/applications', { name: 'M', type: 'MachineToMachine' });
    expect(app.status).toBe(200);
    expect(app.body).not.toHaveProperty('secret');
    await api.post(`/api/applications/${app.body.id}/roles`, { roleIds: [role.id] });
    const extra = await api.post(`/api/applications/${app.body.id}/secrets`, { name: 'extra' });
    expect(extra.status).toBe(201);

    const list = (await api.get(`/api/applications/${app.body.id}/secrets`)).body as Array<{ name: string; value: string; prefix: string }>;
    expect(list.map((s) => s.name)).toEqual(['Default secret', 'extra']);
    expect(list[1]).toEqual({ ...extra.body });
    for (const s of list) {
      expect(s.value.slice(0, 6)).toBe(s.prefix);
      const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: indicator, scope: 'read' }, { id: app.body.id, secret: s.value });
      expect(token.status).toBe(200);
    }
    const renamed = await api.patch(`/api/applications/${app.body.id}/secrets/extra`, { name: 'renamed' });
    expect(renamed.body).toEqual({ ...extra.body, name: 'renamed' });

    const db = openDb(sigil.databaseUrl);
    try {
      const rows = await db.applicationSecret.findMany({ where: { applicationId: app.body.id } });
      for (const row of rows) {
        const value = list.find((s) => s.prefix === row.prefix)!.value;
        expect(row.hash).not.toContain(value);
        expect(row.sealedValue).toMatch(/^v1\./);
        expect(row.sealedValue).not.toContain(value);
      }
    } finally {
      await db.$disconnect();
    }
  });

  it('privilege rule: a caller lacking a scope the app holds sees its secrets without values', async () => {
    const scopes = (await api.get('/api/resources/management-api/scopes?page_size=100')).body as Array<{ id: string; name: string }>;
    const read = scopes.find((s) => s.name === 'read:applications')!.id;
    const role = (await api.post('/api/roles', { name: `reader-${Date.now()}`, description: 'd', type: 'MachineToMachine', scopeIds: [read] })).body;
    const reader = (await api.post('/api/applications', { name: 'reader', type: 'MachineToMachine' })).body;
    await api.post(`/api/applications/${reader.id}/roles`, { roleIds: [role.id] });
    const [own] = (await api.get(`/api/applications/${reader.id}/secrets`)).body;
    const small = await managementClient(sigil, 'read:applications', { id: reader.id, secret: own.value });
    const admin = await small.get('/api/applications/bootstrap-admin/secrets');
    expect(admin.status).toBe(200);
    expect(admin.body.length).toBeGreaterThan(0);
    for (const s of admin.body) expect(s).not.toHaveProperty('value');
    // Its own secrets (nothing beyond what it holds) it may read back.
    expect((await small.get(`/api/applications/${reader.id}/secrets`)).body[0].value).toBe(own.value);
  });

  it('a sealed value copied onto another row is not revealed (bound to its row id): listed without value', async () => {
    const app = (await api.post('/api/applications', { name: 'T', type: 'Traditional' })).body;
    const db = openDb(sigil.databaseUrl);
    try {
      const [row] = await db.applicationSecret.findMany({ where: { applicationId: app.id } });
      const other = (await db.applicationSecret.findMany({ where: { NOT: { applicationId: app.id }, sealedValue: { not: null } } }))[0]!;
      // Copying another secret's sealed value onto this row must not reveal it (AAD binds it to its id).
      await db.applicationSecret.update({ where: { id: row!.id }, data: { sealedValue: other.sealedValue } });
    } finally {
      await db.$disconnect();
    }
    const res = await api.get(`/api/applications/${app.id}/secrets`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ applicationId: app.id, name: 'Default secret', prefix: expect.any(String), createdAt: expect.any(Number), expiresAt: null }]);
  });
});
