// Reading the generated OpenAPI document for the reference page: operations in document order, `$ref`s
// resolved into components, JSON Schema summarised as type labels, example bodies and curl commands.
// Pure functions; nothing here knows a particular endpoint.
import type { JsonSchema, OpenApiDocument, OpenApiHeader, OpenApiMethod, OpenApiOperation, OpenApiParameter, OpenApiRef, OpenApiResponse } from '@/server/trpc/routers/api-reference';

export type { JsonSchema, OpenApiDocument };
export type Schemas = Record<string, JsonSchema>;

const METHODS: OpenApiMethod[] = ['get', 'post', 'put', 'patch', 'delete'];
const SCHEMA_REF = '#/components/schemas/';

export type Operation = {
  id: string;
  method: Uppercase<OpenApiMethod>;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The fine-grained scope the operation names (`all` always works too); null for the public document. */
  scope: string | null;
  parameters: OpenApiParameter[];
  body?: { required: boolean; schema: JsonSchema };
  responses: Array<{ status: string; description: string; schema?: JsonSchema; headers: Array<{ name: string; description?: string; schema?: JsonSchema }> }>;
  /** Answers with Total-Number and Link headers (a Logto-style paginated list). */
  paginated: boolean;
};

const isRef = (v: object): v is OpenApiRef => typeof (v as OpenApiRef).$ref === 'string';
/** `#/components/<kind>/<name>` -> the component, for responses and headers. */
function component<T>(doc: OpenApiDocument, value: T | OpenApiRef, kind: 'responses' | 'headers'): T | undefined {
  if (!isRef(value as object)) return value as T;
  const prefix = `#/components/${kind}/`;
  const ref = (value as OpenApiRef).$ref;
  return ref.startsWith(prefix) ? (doc.components[kind]?.[ref.slice(prefix.length)] as T | undefined) : undefined;
}

/** The scope an operation's security requirement names besides `all`. */
function scopeOf(op: OpenApiOperation): string | null {
  const named = (op.security ?? []).flatMap((req) => Object.values(req).flat());
  return named.find((s) => s !== 'all') ?? named[0] ?? null;
}

export function operations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = Object.entries(op.responses).map(([status, r]) => {
        const response = component<OpenApiResponse>(doc, r, 'responses');
        const headers = Object.entries(response?.headers ?? {}).map(([name, h]) => ({ name, ...component<OpenApiHeader>(doc, h, 'headers') }));
        return { status, description: response?.description ?? '', schema: response?.content?.['application/json']?.schema, headers };
      });
      const body = op.requestBody?.content['application/json']?.schema;
      out.push({
        id: op.operationId,
        method: method.toUpperCase() as Uppercase<OpenApiMethod>,
        path,
        tag: op.tags?.[0] ?? 'Other',
        summary: op.summary ?? '',
        description: op.description,
        scope: scopeOf(op),
        parameters: op.parameters ?? [],
        body: body ? { required: op.requestBody?.required ?? false, schema: body } : undefined,
        responses,
        paginated: responses.some((r) => r.headers.some((h) => h.name === 'Total-Number')),
      });
    }
  }
  return out;
}

/** Operations grouped by tag, in the document's tag order (tags it does not list come last). */
export function byTag(ops: Operation[], doc: OpenApiDocument): Array<{ tag: string; operations: Operation[] }> {
  const order = (doc.tags ?? []).map((t) => t.name);
  const tags = [...new Set([...order, ...ops.map((o) => o.tag)])];
  return tags.map((tag) => ({ tag, operations: ops.filter((o) => o.tag === tag) })).filter((g) => g.operations.length > 0);
}

/** Every word of the query must appear in the method, path, summary, tag, scope or operationId. */
export function matches(op: Operation, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [op.method, op.path, op.summary, op.tag, op.scope ?? '', op.id].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

export const refName = (ref: string) => (ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : ref);

/** Follows `$ref`s into `components.schemas` (a missing target reads as "any"). */
export function resolve(schema: JsonSchema, schemas: Schemas): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 16; hops++) s = schemas[refName(s.$ref)] ?? {};
  return s;
}

const isNull = (s: JsonSchema) => s.type === 'null';
const branchesOf = (s: JsonSchema) => s.anyOf ?? s.oneOf;
const typesOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const json = (v: unknown) => JSON.stringify(v);

/** A compact TypeScript-like label: `string`, `"SPA" | "Native"`, `Application[]`, `string | null`. */
export function typeLabel(schema: JsonSchema, schemas: Schemas, depth = 0): string {
  if (depth > 6) return '…';
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return json(schema.const);
  if (schema.enum) return schema.enum.map(json).join(' | ');
  const branches = branchesOf(schema);
  if (branches) return [...new Set(branches.map((b) => typeLabel(b, schemas, depth + 1)))].join(' | ');
  if (schema.allOf) return schema.allOf.map((b) => typeLabel(b, schemas, depth + 1)).join(' & ');
  const types = typesOf(schema);
  if (types.length === 0) return schema.properties ? 'object' : 'any';
  return types
    .map((t) => {
      if (t === 'array') {
        const item = schema.items ? typeLabel(schema.items, schemas, depth + 1) : 'any';
        return item.includes(' ') ? `(${item})[]` : `${item}[]`;
      }
      if (t === 'object' && !schema.properties && typeof schema.additionalProperties === 'object' && Object.keys(schema.additionalProperties).length > 0) {
        return `Record<string, ${typeLabel(schema.additionalProperties, schemas, depth + 1)}>`;
      }
      return t;
    })
    .join(' | ');
}

// Bounds at the edge of JavaScript's safe integers say "any integer"; they are noise for a reader.
const meaningful = (n: number | undefined): n is number => n !== undefined && Math.abs(n) < 1e15;

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  const lo = meaningful(min) ? min : undefined;
  const hi = meaningful(max) ? max : undefined;
  if (lo === undefined && hi === undefined) return null;
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${lo}${unit}` : `${lo}–${hi}${unit}`;
  return lo !== undefined ? `≥ ${lo}${unit}` : `≤ ${hi}${unit}`;
}

/** Human notes on a schema's limits: `1–256 chars`, `≤ 100`, `default 20`, `format uri`. */
export function constraints(schema: JsonSchema): string[] {
  const out = [
    range(schema.minLength, schema.maxLength, ' chars'),
    range(schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : schema.minimum, schema.maximum, ''),
    range(schema.minItems, schema.maxItems, ' items'),
    schema.format ? `format ${schema.format}` : null,
    schema.pattern ? `pattern ${schema.pattern}` : null,
    schema.default !== undefined ? `default ${json(schema.default)}` : null,
  ];
  // A nullable value's limits live on its non-null branch.
  const branches = branchesOf(schema)?.filter((b) => !isNull(b));
  if (branches?.length === 1 && !branches[0]!.$ref) out.push(...constraints(branches[0]!));
  return out.filter((c): c is string => c !== null);
}

export type SchemaNode = { name: string; schema: JsonSchema; required: boolean; children: SchemaNode[] };

/**
 * The fields under a schema, as a tree: object properties, an array's item fields, the fields of a
 * nullable value's non-null branch, every variant of a union. `seen` stops at a reference already open
 * above (zod emits no cycles here, but a reader must not loop if one appears).
 */
export function fields(schema: JsonSchema, schemas: Schemas, seen: ReadonlySet<string> = new Set(), depth = 0): SchemaNode[] {
  if (depth > 8) return [];
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return [];
    return fields(resolve(schema, schemas), schemas, new Set([...seen, schema.$ref]), depth + 1);
  }
  const branches = branchesOf(schema)?.filter((b) => !isNull(b));
  if (branches && branches.length === 1) return fields(branches[0]!, schemas, seen, depth + 1);
  if (branches && branches.length > 1) {
    const variants = branches.map((b, i) => ({ name: `variant ${i + 1}`, schema: b, required: false, children: fields(b, schemas, seen, depth + 1) }));
    return variants.some((v) => v.children.length > 0) ? variants : [];
  }
  if (schema.allOf) return schema.allOf.flatMap((b) => fields(b, schemas, seen, depth + 1));
  if (typesOf(schema).includes('array') && schema.items) return fields(schema.items, schemas, seen, depth + 1);
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    schema: s,
    required: required.has(name),
    children: fields(s, schemas, seen, depth + 1),
  }));
  const extra = schema.additionalProperties;
  if (props.length > 0 && typeof extra === 'object' && Object.keys(extra).length > 0) {
    props.push({ name: '[other keys]', schema: extra, required: false, children: fields(extra, schemas, seen, depth + 1) });
  }
  return props;
}

const SAMPLE_STRINGS: Record<string, string> = {
  uri: 'https://example.com',
  url: 'https://example.com',
  email: 'user@example.com',
  'date-time': '2025-01-01T00:00:00Z',
  date: '2025-01-01',
  uuid: '00000000-0000-0000-0000-000000000000',
};

/** A value skeleton for a schema: every field, defaults where given, the first enum value, empty strings. */
export function example(schema: JsonSchema, schemas: Schemas, depth = 0): unknown {
  if (depth > 8) return null;
  const s = resolve(schema, schemas);
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const branches = branchesOf(s);
  if (branches) return example(branches.find((b) => !isNull(b)) ?? branches[0]!, schemas, depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => example(b, schemas, depth + 1)).filter((v) => v && typeof v === 'object'));
  const type = typesOf(s).find((t) => t !== 'null') ?? (s.properties ? 'object' : undefined);
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, schemas, depth + 1)]));
    case 'array':
      // An optional list stays empty: a sample element ('' for a URI) would make the shown request invalid.
      return s.items && (s.minItems ?? 0) > 0 ? [example(s.items, schemas, depth + 1)] : [];
    case 'string':
      return SAMPLE_STRINGS[s.format ?? ''] ?? '';
    case 'integer':
    case 'number':
      if (s.exclusiveMinimum !== undefined) return s.exclusiveMinimum + 1;
      return meaningful(s.minimum) && s.minimum > 0 ? s.minimum : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** A curl for one operation: the token in $TOKEN, path parameters as <name>, a JSON skeleton for bodies. */
export function curlFor(op: Operation, baseUrl: string, schemas: Schemas): string {
  const path = op.path.replace(/\{(\w+)\}/g, '<$1>');
  const query = op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=<${p.name}>`);
  if (op.paginated) query.push('page=1', 'page_size=20');
  const url = `${baseUrl}${path}${query.length ? `?${query.join('&')}` : ''}`;
  // -i shows the Total-Number and Link headers of a list.
  const lines = [`curl${op.paginated ? ' -i' : ''}${op.method === 'GET' ? '' : ` -X ${op.method}`} ${shellQuote(url)}`];
  if (op.scope !== null) lines.push(`  -H "Authorization: Bearer $TOKEN"`);
  if (op.body) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  -d ${shellQuote(JSON.stringify(example(op.body.schema, schemas), null, 2))}`);
  }
  return lines.join(' \\\n');
}

/** The client_credentials request for a Management API token (the app's id and secret in shell variables). */
export function tokenCurl(tokenEndpoint: string, indicator: string): string {
  return [
    `curl -s -X POST ${shellQuote(tokenEndpoint)}`,
    `  -u "$APP_ID:$APP_SECRET"`,
    `  -d grant_type=client_credentials`,
    `  --data-urlencode resource=${shellQuote(indicator)}`,
    `  -d scope=all`,
  ].join(' \\\n');
}
