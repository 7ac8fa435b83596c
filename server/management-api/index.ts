// The REST Management API at /api/*: match route -> authenticate (Bearer) -> validate -> handler -> JSON.
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';
import { env } from '../env.ts';
import { ApiError, apiErrorResponse, queryError, zodToApiError } from './errors.ts';
import { isSwaggerPath, swaggerResponse } from './swagger.ts';
import { authenticate } from './auth.ts';
import { withRequestContext } from '../services/events/context.ts';
import { ROUTES } from './routes/index.ts';
import type { Route } from './route.ts';
import { checkResponse } from './response-check.ts';

type Compiled = { route: Route; pattern: RegExp; keys: string[] };

const compiled: Compiled[] = ROUTES.map((route) => {
  const keys: string[] = [];
  const source = route.path.replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), keys };
});

export const MAX_API_BODY_BYTES = 1024 * 1024;

// PostgreSQL text and jsonb cannot hold U+0000; refuse it at the edge (400 naming the field) so no
// input can reach the database as an error (500) or be stored differently on SQLite and PostgreSQL.
const NUL = '\u0000';

/** The path of the first string (or key) holding U+0000, or undefined. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = nulPath(value[i], `${path}.${i}`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = k.includes(NUL) ? `${path}.${k.replaceAll(NUL, '')}` : nulPath(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

function refuseNul(value: unknown, where: 'body' | 'query' | 'params'): void {
  const hit = nulPath(value, where);
  if (hit) {
    const field = hit.slice(where.length + 1) || where;
    throw new ApiError(400, 'guard.invalid_input', `Invalid ${where}: ${field}: must not contain the NUL character`, field);
  }
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const existing = out[k];
    out[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  refuseNul(out, 'query');
  return out;
}

function parseBody(req: ProtocolRequest): unknown {
  if (req.bodyError === 'too_large') throw new ApiError(413, 'guard.body_too_large', 'The request body is too large.', 'body');
  if (!req.body) return {};
  const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ApiError(415, 'guard.invalid_content_type', 'The request body must be application/json.', 'body');
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw new ApiError(400, 'guard.invalid_input', 'The request body is not valid JSON.', 'body');
  }
  refuseNul(body, 'body');
  return body;
}

function decodeParam(value: string, key: string): string {
  try {
    const decoded = decodeURIComponent(value);
    refuseNul({ [key]: decoded }, 'params');
    return decoded;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'guard.invalid_input', `Invalid params: ${key}: malformed percent-encoding`, key);
  }
}

/**
 * RFC 8288 links exactly as Logto's koa-pagination: first, last, then prev and next when they exist; each
 * keeps the request's query and sets `page` (`page_size` appears only when the request gave it).
 */
export function linkHeader(path: string, query: Record<string, string | string[]>, page: number, pageSize: number, total: number): string {
  const last = Math.ceil(total / pageSize) || 1;
  const href = (p: number, rel: 'first' | 'last' | 'prev' | 'next') => {
    // `page` keeps its place in the query, or goes last when the request had none (Logto's object spread).
    const params = new URLSearchParams();
    let placed = false;
    for (const [k, v] of Object.entries(query)) {
      if (k !== 'page') for (const x of [v].flat()) params.append(k, x);
      else if (!placed) (params.append('page', String(p)), (placed = true));
    }
    if (!placed) params.append('page', String(p));
    return `<${env().publicUrl}${path}?${params}>; rel="${rel}"`;
  };
  const links = [href(1, 'first'), href(last, 'last')];
  if (page > 1) links.push(href(page - 1, 'prev'));
  if (page < last) links.push(href(page + 1, 'next'));
  return links.join(', ');
}

export async function handleManagementApi(req: ProtocolRequest): Promise<ProtocolResponse> {
  try {
    const path = req.path;
    // The OpenAPI document is public, as Logto's /api/swagger.json.
    if (isSwaggerPath(path)) return swaggerResponse(req);
    if (req.duplicateHeader) throw new ApiError(400, 'guard.duplicate_header', `The ${req.duplicateHeader} header must not be repeated.`, req.duplicateHeader);
    const matches = compiled
      .map((c) => ({ c, m: c.pattern.exec(path) }))
      .filter((x): x is { c: Compiled; m: RegExpExecArray } => x.m !== null);
    if (matches.length === 0) throw new ApiError(404, 'route.not_found', `No Management API route at ${path.slice(0, 200)}.`);
    const hit = matches.find((x) => x.c.route.method === req.method);
    if (!hit) {
      const allow = [...new Set(matches.map((x) => x.c.route.method))].join(', ');
      throw new ApiError(405, 'route.method_not_allowed', `Use ${allow} on this path.`, undefined, { allow });
    }
    const { route } = hit.c;
    const actor = await authenticate(req.header('authorization'), route.scope, { ip: req.ip, userAgent: req.header('user-agent') });

    const rawParams = Object.fromEntries(hit.c.keys.map((k, i) => [k, decodeParam(hit.m[i + 1]!, k)]));
    const rawQuery = parseQuery(req.search);
    const params = route.params ? route.params.safeParse(rawParams) : { success: true as const, data: rawParams };
    if (!params.success) throw zodToApiError(params.error, 'params');
    const query = route.query ? route.query.safeParse(rawQuery) : { success: true as const, data: {} };
    if (!query.success) throw queryError(query.error, route.paginated === true);
    let body: unknown;
    if (route.body) {
      const parsed = route.body.safeParse(parseBody(req));
      if (!parsed.success) throw zodToApiError(parsed.error, 'body');
      body = parsed.data;
    }

    // Request facts for webhook payloads; outbox rows written by the handler are kicked after it returns.
    const facts = { path, method: route.method, status: route.status, params: rawParams, matchedRoute: route.path };
    const result = await withRequestContext(facts, () => route.handler({ params: params.data, query: query.data, body, actor, path, method: route.method }));
    const status = result.status ?? route.status;
    checkResponse(route, status, result.body);
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...result.headers };
    if (route.paginated && result.total !== undefined) {
      const q = query.data as { page: number; page_size: number };
      headers['total-number'] = String(result.total);
      headers.link = linkHeader(path, rawQuery, q.page, q.page_size, result.total);
    }
    if (result.stream) return { status, headers, body: '', stream: result.stream };
    if (status === 204 || result.body === undefined) return { status, headers, body: '' };
    return json(status, result.body, headers);
  } catch (error) {
    return apiErrorResponse(error);
  }
}
