// Console: the Management API reference. The document is the one GET /api/swagger.json serves (same
// generator, same per-process cache), typed here for the page, so the console needs no request but tRPC.
import { openApiDocumentText } from '../../management-api/swagger.ts';
import { adminProcedure, router } from '../init.ts';

/** The JSON Schema 2020-12 keywords zod emits and the page reads. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: Array<string | number | boolean | null>;
  const?: string | number | boolean | null;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

export type OpenApiRef = { $ref: string };
export type OpenApiParameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; description?: string; schema?: JsonSchema };
export type OpenApiMedia = { schema?: JsonSchema };
export type OpenApiHeader = { description?: string; schema?: JsonSchema };
export type OpenApiResponse = { description: string; content?: Record<string, OpenApiMedia>; headers?: Record<string, OpenApiHeader | OpenApiRef> };
export type OpenApiOperation = {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse | OpenApiRef>;
  security?: Array<Record<string, string[]>>;
};
export type OpenApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Partial<Record<OpenApiMethod, OpenApiOperation>>>;
  components: {
    schemas?: Record<string, JsonSchema>;
    responses?: Record<string, OpenApiResponse>;
    headers?: Record<string, OpenApiHeader>;
    securitySchemes?: Record<string, { type: string; description?: string; flows?: { clientCredentials?: { tokenUrl: string; scopes: Record<string, string> } } }>;
  };
};

export const apiReferenceRouter = router({
  /** The generated OpenAPI 3.1 document of the Management API, exactly as /api/swagger.json serves it. */
  document: adminProcedure.query((): OpenApiDocument => JSON.parse(openApiDocumentText()) as OpenApiDocument),
});
