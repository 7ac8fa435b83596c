// Logto's session cookie key endpoints: list (ids and creation times only, never key material), rotate
// (the new key signs, the previous one still verifies), delete (never the last one: 422 oidc.key_required).
import { z } from 'zod';
import { deleteCookieKey, listCookieKeys, rotateCookieKeys } from '../../services/sign-in/cookie-keys.ts';
import { route } from '../route.ts';

const tag = 'Signing keys';
const cookieKey = z.object({ id: z.string(), createdAt: z.number().int() });
const keyIdParam = z.object({ keyId: z.string().min(1).max(64) });
/** Logto's client sends the private-key body here too; a cookie key is an HMAC key, so the algorithm is moot. */
const rotateBody = z.object({ signingKeyAlgorithm: z.enum(['EC', 'RSA']).optional() }).strict();

export const cookieKeyRoutes = [
  route({
    method: 'GET', path: '/api/configs/oidc/cookie-keys', scope: 'read:configs', tag,
    summary: 'List the session cookie keys, newest (signing) first',
    response: z.array(cookieKey), status: 200,
    handler: async () => ({ body: await listCookieKeys() }),
  }),
  route({
    method: 'POST', path: '/api/configs/oidc/cookie-keys/rotate', scope: 'write:configs', tag,
    summary: 'Add a new signing cookie key; the previous one keeps verifying until deleted',
    body: rotateBody, response: z.array(cookieKey), status: 200, errors: [400],
    handler: async () => ({ body: await rotateCookieKeys() }),
  }),
  route({
    method: 'DELETE', path: '/api/configs/oidc/cookie-keys/:keyId', scope: 'write:configs', tag,
    summary: 'Delete a cookie key (the sessions it signed end); the last key cannot be deleted',
    params: keyIdParam, status: 204, errors: [404, 422],
    handler: async ({ params }) => (await deleteCookieKey(params.keyId), {}),
  }),
];
