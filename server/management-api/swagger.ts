// GET /api/swagger.json: the generated OpenAPI document. Public, as Logto's; built once per process
// (it depends only on the route table and the public URL).
import { env } from '../env.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';
import { apiErrorResponse, ApiError } from './errors.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { ROUTES } from './routes/index.ts';

export const SWAGGER_PATH = '/api/swagger.json';
export const isSwaggerPath = (path: string) => path === SWAGGER_PATH;

let cached: { publicUrl: string; body: string } | undefined;

export function openApiDocumentText(): string {
  const { publicUrl, issuer, managementApiIndicator } = env();
  if (cached?.publicUrl !== publicUrl) {
    cached = { publicUrl, body: JSON.stringify(buildOpenApiDocument(ROUTES, { publicUrl, issuer, indicator: managementApiIndicator })) };
  }
  return cached.body;
}

export function swaggerResponse(req: ProtocolRequest): ProtocolResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return apiErrorResponse(new ApiError(405, 'route.method_not_allowed', 'Use GET on this path.', undefined, { allow: 'GET' }));
  }
  const res = json(200, null, { 'cache-control': 'public, max-age=300' });
  return { ...res, body: openApiDocumentText() };
}
