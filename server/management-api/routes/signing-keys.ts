// Logto's signing-key endpoints: list (no key material), rotate (optionally staged with a grace period),
// delete a Previous key.
import { z } from 'zod';
import { signingKeyIdParam, signingKeyResponse, signingKeyRotate } from '../../schemas/signing-keys.ts';
import * as signingKeys from '../../services/signing-keys/manage.ts';
import { route } from '../route.ts';

const tag = 'Signing keys';

export const signingKeyOps = {
  list: route({
    method: 'GET', path: '/api/configs/oidc/private-keys', scope: 'read:configs', tag,
    summary: 'List signing keys with their status (Next, Current, Previous)',
    response: z.array(signingKeyResponse), status: 200,
    handler: async () => ({ body: await signingKeys.listSigningKeys() }),
  }),
  rotate: route({
    method: 'POST', path: '/api/configs/oidc/private-keys/rotate', scope: 'write:configs', tag,
    summary: 'Rotate the signing key, at once or after a grace period during which the new key is only published',
    body: signingKeyRotate, response: z.array(signingKeyResponse), status: 200, errors: [400, 422],
    handler: async ({ body, actor }) => ({ body: await signingKeys.rotateSigningKeys(actor, body) }),
  }),
  delete: route({
    method: 'DELETE', path: '/api/configs/oidc/private-keys/:keyId', scope: 'write:configs', tag,
    summary: 'Delete a Previous signing key',
    params: signingKeyIdParam, status: 204, errors: [404, 422],
    handler: async ({ params, actor }) => (await signingKeys.deleteSigningKey(actor, params.keyId), {}),
  }),
};
