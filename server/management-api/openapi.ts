// The OpenAPI 3.1 document of the Management API, generated from the route table: the same zod schemas
// that validate requests describe them (zod 4's `z.toJSONSchema`, JSON Schema 2020-12 = OpenAPI 3.1's
// dialect). Nothing here is written by hand per endpoint, so the document cannot drift from the code.
import { z } from 'zod';
import { applicationCreatedResponse, applicationResponse, secretCreatedResponse, secretResponse } from '../schemas/applications.ts';
import { resourceResponse, scopeResponse } from '../schemas/resources.ts';
import { roleListItem, roleResponse } from '../schemas/roles.ts';
import { userProfile, userResponse } from '../schemas/users.ts';
import { MANAGEMENT_SCOPES } from '../services/management-resource.ts';
import type { Route } from './route.ts';

type Json = Record<string, any>;

/** Entity schemas get a name in `components.schemas`; every other schema is named after its operation. */
const ENTITIES: [z.ZodType, string][] = [
  [applicationResponse, 'Application'],
  [applicationCreatedResponse, 'ApplicationWithSecret'],
  [secretResponse, 'ApplicationSecret'],
  [secretCreatedResponse, 'ApplicationSecretWithValue'],
  [resourceResponse, 'Resource'],
  [scopeResponse, 'Scope'],
  [roleResponse, 'Role'],
  [roleListItem, 'RoleWithCounts'],
  [userResponse, 'User'],
  [userProfile, 'UserProfile'],
];

const ERROR_RESPONSES: Record<number, [name: string, description: string]> = {
  400: ['BadRequest', 'Invalid input: `field` names the offending parameter or body field (`guard.invalid_input`, `guard.invalid_pagination`).'],
  401: ['Unauthorized', 'No, malformed, expired or revoked Bearer token (`WWW-Authenticate: Bearer ... error="invalid_token"`).'],
  403: ['Forbidden', 'The token is not for the Management API or lacks the required scope (`WWW-Authenticate: Bearer ... error="insufficient_scope"`).'],
  404: ['NotFound', 'No entity with that id (`entity.not_exists_with_id`).'],
  413: ['PayloadTooLarge', 'The request body is over 1 MiB.'],
  415: ['UnsupportedMediaType', 'The request body is not `application/json`.'],
  422: ['UnprocessableEntity', 'The request is well-formed but conflicts with existing data (e.g. a duplicate name, indicator or identifier).'],
};

export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const pathParams = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

const pascal = (s: string) => s.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const singular = (s: string) => s.replace(/ies$/, 'y').replace(/s$/, '');

/** `GET /api/users/:userId/roles` -> `listUserRoles`; `PATCH /api/users/:userId/custom-data` -> `updateUserCustomData`. */
export function operationId(route: Route): string {
  if (route.operationId) return route.operationId;
  const segments = route.path.split('/').slice(2); // drop '' and 'api'
  const literals: string[] = [];
  segments.forEach((s, i) => {
    if (s.startsWith(':')) return;
    const followedByParam = segments[i + 1]?.startsWith(':') ?? false;
    literals.push(followedByParam ? singular(pascal(s)) : pascal(s));
  });
  const last = segments.at(-1) ?? '';
  const isItem = last.startsWith(':');
  const returnsList = route.paginated || route.response instanceof z.ZodArray;
  const verb = { GET: returnsList ? 'list' : 'get', POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' }[route.method];
  // POST on a top-level collection makes one thing: `createUser`, not `createUsers`.
  if (route.method === 'POST' && !isItem && literals.length === 1) literals[0] = singular(literals[0]!);
  return verb + literals.join('');
}

class SchemaSet {
  readonly components: Record<string, Json> = {};
  private readonly registry = z.registry<{ id?: string }>();

  constructor() {
    for (const [schema, id] of ENTITIES) this.registry.add(schema, { id });
  }

  /** Convert one zod schema; named sub-schemas move to `components.schemas` and are referenced from there. */
  convert(schema: z.ZodType, io: 'input' | 'output', nameIfNew?: string): Json {
    const entity = this.registry.get(schema)?.id;
    const json = z.toJSONSchema(schema, {
      metadata: this.registry,
      io,
      unrepresentable: 'any',
      // Descriptions given with `.describe()` live in zod's global registry, not in ours.
      override: ({ zodSchema, jsonSchema }) => {
        const description = z.globalRegistry.get(zodSchema as unknown as z.ZodType)?.description;
        if (description && !jsonSchema.description) jsonSchema.description = description;
      },
    }) as Json;
    delete json.$schema;
    const defs: Json = json.$defs ?? {};
    delete json.$defs;
    // Leaves first, so a definition is stored with the final names of the ones it references.
    const rename: Record<string, string> = {};
    for (const id of dependencyOrder(defs)) rename[id] = this.put(id, rewriteRefs(defs[id], rename), io);
    const rewritten = rewriteRefs(json, rename);
    if (entity) return rewritten;
    // Operation-specific object schemas are named too, so generated clients get readable type names.
    if (nameIfNew && rewritten.type === 'object') {
      // The same shape under another operation's name (e.g. get/create/update of one entity) is reused.
      const same = Object.entries(this.components).find(([, c]) => JSON.stringify(c) === JSON.stringify(rewritten))?.[0];
      return { $ref: `#/components/schemas/${same ?? this.put(nameIfNew, rewritten, io)}` };
    }
    return rewritten;
  }

  /** Same name, same schema: shared. Same name, different schema (input vs output view): `<name>Input`. */
  private put(id: string, def: Json, io: 'input' | 'output'): string {
    const view = io === 'input' ? 'Input' : 'Output';
    // Never fails: a third differing shape under one name gets a number rather than a 500 on the document.
    for (let n = 1; ; n++) {
      const name = n === 1 ? id : n === 2 ? `${id}${view}` : `${id}${view}${n - 1}`;
      const existing = this.components[name];
      if (!existing) {
        this.components[name] = def;
        return name;
      }
      if (JSON.stringify(existing) === JSON.stringify(def)) return name;
    }
  }
}

const DEF_REF = '#/$defs/';

/** `$defs` ids ordered so that every id comes after the ids it references (zod emits no cycles here). */
function dependencyOrder(defs: Json): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (order.includes(id) || visiting.has(id) || !(id in defs)) return;
    visiting.add(id);
    for (const ref of refsIn(defs[id])) if (ref.startsWith(DEF_REF)) visit(ref.slice(DEF_REF.length));
    visiting.delete(id);
    order.push(id);
  };
  Object.keys(defs).forEach(visit);
  return order;
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

function rewriteRefs(value: any, rename: Record<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename));
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(DEF_REF)) {
        const id = v.slice(DEF_REF.length);
        out[k] = `#/components/schemas/${rename[id] ?? id}`;
      } else out[k] = rewriteRefs(v, rename);
    }
    return out;
  }
  return value;
}

/** Parameter objects for one location, from an object schema's JSON (properties + required). */
function parameters(route: Route, where: 'path' | 'query', schemas: SchemaSet): Json[] {
  const schema = where === 'path' ? route.params : route.query;
  const json = schema ? schemas.convert(schema, 'input') : undefined;
  const properties: Json = json?.properties ?? {};
  const required = new Set<string>(json?.required ?? []);
  if (where === 'path') {
    return pathParams(route.path).map((name) => {
      const { description, ...s } = properties[name] ?? { type: 'string' };
      return { name, in: 'path', required: true, schema: s, ...(description ? { description } : {}) };
    });
  }
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...s } = prop as Json;
    return {
      name,
      in: 'query',
      required: required.has(name),
      schema: s,
      ...(description ? { description } : {}),
    };
  });
}

function errorStatuses(route: Route): number[] {
  const set = new Set<number>([401, 403, ...(route.errors ?? [])]);
  if (route.params || route.query || route.body) set.add(400);
  if (route.body) {
    set.add(413);
    set.add(415);
  }
  return [...set].sort((a, b) => a - b);
}

function acceptsEmpty(schema: z.ZodType): boolean {
  try {
    return schema.safeParse({}).success;
  } catch {
    return false; // async refinements cannot run synchronously; such a body is treated as required
  }
}

function operation(route: Route, schemas: SchemaSet): Json {
  const opId = operationId(route);
  const success: Json = { description: route.status === 201 ? 'Created' : route.status === 204 ? 'No content' : 'OK' };
  if (route.response && route.status !== 204) {
    success.content = { 'application/json': { schema: schemas.convert(route.response, 'output', `${pascal(opId)}Response`) } };
  }
  if (route.paginated) {
    success.headers = { 'Total-Number': { $ref: '#/components/headers/Total-Number' }, Link: { $ref: '#/components/headers/Link' } };
  }
  const responses: Json = { [String(route.status)]: success };
  for (const status of errorStatuses(route)) responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]?.[0] ?? 'Error'}` };

  const op: Json = {
    operationId: opId,
    tags: [route.tag],
    summary: route.summary,
    description: `Requires scope \`${route.scope}\` (or \`all\`).`,
    parameters: [...parameters(route, 'path', schemas), ...parameters(route, 'query', schemas)],
    responses,
    // Either scheme, with the route's fine-grained scope; `all` grants every operation.
    security: [{ bearerAuth: [route.scope] }, { oAuth2: [route.scope] }, { oAuth2: ['all'] }],
  };
  if (route.body) {
    op.requestBody = {
      // A body that accepts `{}` may be omitted (the API reads a missing body as `{}`).
      required: !acceptsEmpty(route.body),
      content: { 'application/json': { schema: schemas.convert(route.body, 'input', `${pascal(opId)}Request`) } },
    };
  }
  return op;
}

export function buildOpenApiDocument(routes: readonly Route[], urls: { publicUrl: string; issuer: string; indicator: string }): Json {
  const schemas = new SchemaSet();
  const paths: Json = {};
  // Responses first, so a shared name goes to the response shape and a differing input view gets `Input`.
  for (const route of routes) if (route.response) schemas.convert(route.response, 'output', `${pascal(operationId(route))}Response`);
  for (const route of routes) {
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase();
    paths[path] ??= {};
    if (paths[path][method]) throw new Error(`OpenAPI: ${route.method} ${route.path} is declared twice`);
    paths[path][method] = operation(route, schemas);
  }
  paths['/api/swagger.json'] = {
    get: {
      operationId: 'getOpenApiDocument', tags: ['OpenAPI'], summary: 'This document (public, no token needed)', security: [],
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };

  const responses: Json = {};
  for (const [, [name, description]] of Object.entries(ERROR_RESPONSES)) {
    responses[name] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  const tags = [...new Set(routes.map((r) => r.tag))].map((name) => ({ name }));

  return {
    openapi: '3.1.0',
    info: {
      title: 'Sigil Management API',
      version: '1.0.0',
      description:
        'REST Management API, wire-compatible with Logto\'s. Authenticate with an access token from ' +
        `\`POST ${urls.issuer}/token\` (grant_type=client_credentials, resource=${urls.indicator}) for an app whose ` +
        'MachineToMachine role grants `all` or the fine-grained scope each operation names. Lists take `page` ' +
        '(from 1) and `page_size` (default 20, max 100) and answer with `Total-Number` and RFC 8288 `Link` headers. ' +
        'Errors are JSON `{ code, message, field? }`.',
    },
    servers: [{ url: urls.publicUrl }],
    tags: [...tags, { name: 'OpenAPI' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `An access token for the resource \`${urls.indicator}\`.` },
        oAuth2: {
          type: 'oauth2',
          description: `Client credentials with \`resource=${urls.indicator}\`.`,
          flows: { clientCredentials: { tokenUrl: `${urls.issuer}/token`, scopes: { ...MANAGEMENT_SCOPES } } },
        },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            code: { type: 'string', description: 'Stable machine code, e.g. `guard.invalid_input`, `entity.not_exists_with_id`.' },
            message: { type: 'string' },
            field: { type: 'string', description: 'The parameter or body field the error is about, when there is one.' },
          },
          required: ['code', 'message'],
        },
        ...schemas.components,
      },
      responses: {
        ...responses,
        Error: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      headers: {
        'Total-Number': { description: 'The total number of items across all pages.', schema: { type: 'integer', minimum: 0 } },
        Link: { description: 'RFC 8288 links to the `first`, `last`, `prev` and `next` pages, as Logto.', schema: { type: 'string' } },
      },
    },
  };
}
