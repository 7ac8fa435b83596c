// Logto's custom JWT claims endpoints: one getCustomJwtClaims script per token type, and a test run.
// PUT answers 201 when it creates the script, 200 when it replaces it; PATCH/GET/DELETE 404 when there is
// none. Test: 200 with the claims; 403 when the script denies, 422 otherwise (both `jwt_customizer.general`),
// with where and how it failed in `data` (Sigil: Logto gives only the message).
import { z } from 'zod';
import {
  jwtCustomizerListItem, jwtCustomizerParams, jwtCustomizerPatch, jwtCustomizerPut, jwtCustomizerResponse, jwtCustomizerTest,
} from '../../schemas/jwt-customizer.ts';
import * as customizers from '../../services/jwt-customizer/index.ts';
import { route } from '../route.ts';

const tag = 'Custom JWT claims';
const path = '/api/configs/jwt-customizer/:tokenTypePath';

export const jwtCustomizerOps = {
  list: route({
    method: 'GET', path: '/api/configs/jwt-customizer', scope: 'read:configs', tag,
    summary: 'List the configured claims scripts (keys jwt.accessToken, jwt.clientCredentials)',
    response: z.array(jwtCustomizerListItem), status: 200,
    handler: async () => ({ body: await customizers.listJwtCustomizers() }),
  }),
  get: route({
    method: 'GET', path, scope: 'read:configs', tag,
    summary: 'Get the claims script for a token type',
    params: jwtCustomizerParams, response: jwtCustomizerResponse, status: 200, errors: [404],
    handler: async ({ params }) => ({ body: await customizers.getJwtCustomizer(params.tokenTypePath) }),
  }),
  save: route({
    method: 'PUT', path, scope: 'write:configs', tag,
    summary: 'Create or replace the claims script for a token type (saved as given, like Logto; errors show at issuance)',
    params: jwtCustomizerParams, body: jwtCustomizerPut, response: jwtCustomizerResponse, status: 200, errors: [400],
    handler: async ({ params, body, actor }) => {
      const { value, created } = await customizers.putJwtCustomizer(actor, params.tokenTypePath, body);
      return { status: created ? 201 : 200, body: value };
    },
  }),
  update: route({
    method: 'PATCH', path, scope: 'write:configs', tag,
    summary: 'Update some fields of the claims script for a token type',
    params: jwtCustomizerParams, body: jwtCustomizerPatch, response: jwtCustomizerResponse, status: 200, errors: [400, 404],
    handler: async ({ params, body, actor }) => ({ body: await customizers.patchJwtCustomizer(actor, params.tokenTypePath, body) }),
  }),
  delete: route({
    method: 'DELETE', path, scope: 'write:configs', tag,
    summary: 'Delete the claims script for a token type (tokens are then issued without custom claims)',
    params: jwtCustomizerParams, status: 204, errors: [404],
    handler: async ({ params, actor }) => (await customizers.deleteJwtCustomizer(actor, params.tokenTypePath), {}),
  }),
  runTest: route({
    method: 'POST', path: '/api/configs/jwt-customizer/test', scope: 'write:configs', tag,
    console: false,
    summary: 'Run a script against a sample token and context without saving it; returns the claims',
    body: jwtCustomizerTest, response: z.record(z.string(), z.unknown()), status: 200, errors: [400, 403, 422],
    handler: async ({ body }) => {
      const result = await customizers.testJwtCustomizer(body);
      if (result.ok) return { body: result.claims };
      const { kind, message, line, column, durationMs } = result;
      const data = { kind, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), durationMs };
      // Logto answers a denial with 403 and the same `jwt_customizer.general` code; `data.kind` tells them apart.
      if (kind === 'denied') return { status: 403, body: { code: 'jwt_customizer.general', message, data } };
      return { status: 422, body: { code: 'jwt_customizer.general', message, data } };
    },
  }),
};
