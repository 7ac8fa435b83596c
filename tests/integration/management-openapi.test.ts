// GET /api/swagger.json: public, OpenAPI 3.1, generated from the route table. Checked structurally (every
// $ref resolves, every route appears once with its method and declared path parameters, every operation
// has responses and security) and, with Ajv's JSON Schema 2020-12 validator, that every schema compiles and
// that what the server really answers matches what the document says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../server/management-api/openapi.ts';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { MANAGEMENT_SCOPES } from '../../server/services/management-resource.ts';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

type Json = Record<string, any>;
let sigil: Sigil;
let doc: Json;
let res: Response;

beforeAll(async () => {
  sigil = await startSigil();
  res = await fetch(`${sigil.url}/api/swagger.json`);
  doc = await res.clone().json();
});
afterAll(async () => sigil?.stop());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function resolvePointer(root: Json, ref: string): unknown {
  expect(ref.startsWith('#/'), ref).toBe(true);
  let node: any = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

function operations(): { path: string; method: string; op: Json }[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method, op })));
}

describe('the document', () => {
  it('is served without a token, as JSON, OpenAPI 3.1', async () => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Sigil Management API', version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: sigil.url }]);
    expect((await fetch(`${sigil.url}/api/swagger.json`, { method: 'POST' })).status).toBe(405);
  });

  it('resolves every $ref', () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) expect(resolvePointer(doc, ref), ref).toBeDefined();
  });

  it('lists every route of the route table exactly once, with its method, and nothing else', () => {
    const documented = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const expected = ROUTES.map((r) => `${r.method} ${openApiPath(r.path)}`);
    expect(new Set(expected).size).toBe(expected.length);
    expect(documented.sort()).toEqual([...expected, 'GET /api/swagger.json'].sort());
  });

  it('declares every path parameter, and only those, as required path parameters', () => {
    for (const { path, method, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path');
      expect(declared.map((p: Json) => p.name).sort(), `${method} ${path}`).toEqual([...inPath].sort());
      for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
      const names = (op.parameters ?? []).map((p: Json) => `${p.in}:${p.name}`);
      expect(new Set(names).size, `${method} ${path} duplicate parameter`).toBe(names.length);
    }
  });

  it('gives every operation an id, a tag, responses with a success status, and the route\'s scope', () => {
    const ids = new Set<string>();
    const tags = new Set(doc.tags.map((t: Json) => t.name));
    const flowScopes = doc.components.securitySchemes.oAuth2.flows.clientCredentials.scopes;
    expect(Object.keys(flowScopes).sort()).toEqual(Object.keys(MANAGEMENT_SCOPES).sort());
    expect(doc.components.securitySchemes.oAuth2.flows.clientCredentials.tokenUrl).toBe(`${sigil.url}/oidc/token`);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, op } of operations()) {
      const label = `${method} ${path}`;
      expect(op.operationId, label).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId), `${label} duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      for (const t of op.tags) expect(tags.has(t), label).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s)), label).toBe(true);
      if (path === '/api/swagger.json') {
        expect(op.security).toEqual([]);
        continue;
      }
      const route = ROUTES.find((r) => openApiPath(r.path) === path && r.method.toLowerCase() === method)!;
      expect(op.security, label).toEqual([{ bearerAuth: [route.scope] }, { oAuth2: [route.scope] }, { oAuth2: ['all'] }]);
      expect(statuses, label).toEqual(expect.arrayContaining(['401', '403', String(route.status)]));
      for (const s of route.errors ?? []) expect(statuses, label).toContain(String(s));
      if (route.body) {
        expect(op.requestBody.content['application/json'].schema, label).toBeDefined();
        expect(statuses, label).toEqual(expect.arrayContaining(['400', '415']));
      }
      const success = op.responses[String(route.status)];
      if (route.paginated) {
        expect(Object.keys(success.headers ?? {}), label).toEqual(['Total-Number', 'Link']);
        const query = op.parameters.filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
        expect(query, label).toEqual(expect.arrayContaining(['page', 'page_size']));
      }
      if (route.response && route.status !== 204) expect(success.content['application/json'].schema, label).toBeDefined();
    }
  });

  it('describes errors with one shared schema { code, message, field? }', () => {
    expect(doc.components.schemas.Error).toEqual({
      type: 'object',
      properties: { code: expect.any(Object), message: expect.any(Object), field: expect.any(Object) },
      required: ['code', 'message'],
    });
    for (const r of Object.values<Json>(doc.components.responses)) {
      expect(r.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
  });
});

// Ajv ships with this tree (a dependency of Prisma's tooling); it is used only if present, never installed for this.
const ajvModule = await import('ajv/dist/2020.js').catch(() => undefined);

describe.skipIf(!ajvModule)('JSON Schema 2020-12 validation (Ajv)', () => {
  const makeAjv = () => {
    const Ajv2020 = (ajvModule as any).default as new (o: object) => any;
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc, 'doc');
    return ajv;
  };
  const pointer = (...parts: string[]) => `doc#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

  it('compiles every component schema and every operation schema', () => {
    const ajv = makeAjv();
    for (const name of Object.keys(doc.components.schemas)) expect(() => ajv.getSchema(pointer('components', 'schemas', name)), name).not.toThrow();
    for (const { path, method, op } of operations()) {
      for (const [status, r] of Object.entries<Json>(op.responses)) {
        if (r.content) expect(() => ajv.getSchema(pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')), `${method} ${path} ${status}`).not.toThrow();
      }
    }
  });

  it('request schemas accept what the API accepts and reject what it rejects', () => {
    const ajv = makeAjv();
    const createUser = ajv.getSchema(pointer('paths', '/api/users', 'post', 'requestBody', 'content', 'application/json', 'schema'));
    expect(createUser({ username: 'alice', primaryEmail: 'a@example.com', primaryPhone: '+15551234567', profile: { givenName: 'A' } })).toBe(true);
    expect(createUser({ username: '1alice' })).toBe(false);
    expect(createUser({ primaryPhone: 'call me' })).toBe(false);
    expect(createUser({ unknown: true })).toBe(false);
  });

  it('what the server answers matches the documented response schemas', async () => {
    const ajv = makeAjv();
    const api = await managementClient(sigil);
    const user = (await api.post('/api/users', { username: `oas_${Date.now()}`, customData: { a: 1 }, password: 'pw-123456' })).body;
    const role = (await api.post('/api/roles', { name: `oas-${Date.now()}`, description: 'd' })).body;
    await api.post(`/api/users/${user.id}/roles`, { roleIds: [role.id] });
    const app = (await api.post('/api/applications', { name: 'OAS', type: 'MachineToMachine' })).body;
    const resource = (await api.post('/api/resources', { name: 'OAS', indicator: `https://oas.example/${Date.now()}` })).body;
    await api.post(`/api/resources/${resource.id}/scopes`, { name: 'read:oas' });
    const ids: Record<string, string> = { userId: user.id, roleId: role.id, applicationId: app.id, resourceId: resource.id };
    const idFor = (path: string, name: string) => {
      if (ids[name]) return ids[name];
      if (path.startsWith('/api/users')) return user.id;
      if (path.startsWith('/api/roles')) return role.id;
      if (path.startsWith('/api/applications')) return app.id;
      if (path.startsWith('/api/resources')) return resource.id;
      return undefined;
    };
    let checked = 0;
    for (const route of ROUTES.filter((r) => r.method === 'GET')) {
      const path = openApiPath(route.path);
      let concrete = route.path;
      let resolvable = true;
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
        const value = idFor(route.path, name!);
        if (!value) resolvable = false;
        else concrete = concrete.replace(`:${name}`, value);
      }
      if (!resolvable) continue;
      const http = await fetch(`${sigil.url}${concrete}`, { headers: { authorization: `Bearer ${api.accessToken}` } });
      if (!http.headers.get('content-type')?.startsWith('application/json')) continue; // exports stream CSV / NDJSON
      const got = { status: http.status, body: await http.json() };
      const documented = doc.paths[path].get.responses[String(got.status)];
      expect(documented?.content, `${concrete} answered ${got.status}, which the document does not list with a body`).toBeDefined();
      const validate = ajv.getSchema(pointer('paths', path, 'get', 'responses', String(got.status), 'content', 'application/json', 'schema'));
      expect(validate(got.body), `${concrete}: ${JSON.stringify(validate.errors)}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
    // Errors match the shared schema too.
    const notFound = await api.get('/api/users/nobody');
    expect(doc.paths['/api/users/{userId}'].get.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    const errorSchema = ajv.getSchema(pointer('components', 'schemas', 'Error'));
    expect(errorSchema(notFound.body)).toBe(true);
  });
});
