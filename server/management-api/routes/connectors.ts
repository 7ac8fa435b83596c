// Sigil has no sign-in connectors (social, email, SMS, SSO): `GET /api/connectors` answers Logto's shape
// with an empty list, so tools written for Logto that list (or clear) connectors before their real work
// keep going. `POST /api/connectors` answers what Logto answers for a connector id it has no factory for
// (422 `connector.not_found_with_connector_id`): Sigil has none. Nothing else under /connectors exists.
import { z } from 'zod';
import { DomainError } from '../../services/errors.ts';
import { route } from '../route.ts';

export const connectorRoutes = [
  route({
    method: 'GET', path: '/api/connectors', scope: 'read:configs', tag: 'Connectors',
    summary: 'List sign-in connectors: always empty (Sigil has none)',
    query: z.object({ target: z.string().max(256).optional() }),
    response: z.array(z.never()), status: 200,
    handler: async () => ({ body: [] as never[] }),
  }),
  route({
    method: 'POST', path: '/api/connectors', scope: 'write:configs', tag: 'Connectors',
    summary: 'Create a sign-in connector: always 422 connector.not_found_with_connector_id (Sigil has no connector factories)',
    body: z.object({ connectorId: z.string().min(1).max(128) }).passthrough(),
    response: z.never(), status: 200, errors: [400, 422],
    handler: async () => {
      throw new DomainError('unprocessable', 'connector.not_found_with_connector_id', 'Can not find connector with given standard connector id (Sigil has no sign-in connectors).', 'connectorId');
    },
  }),
];
