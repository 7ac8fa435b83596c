// Sigil has no sign-in connectors (social, email, SMS, SSO): `GET /api/connectors` answers Logto's shape
// with an empty list, so tools written for Logto that list (or clear) connectors before their real work
// keep going. Nothing else under /connectors exists.
import { z } from 'zod';
import { route } from '../route.ts';

export const connectorRoutes = [
  route({
    method: 'GET', path: '/api/connectors', scope: 'read:configs', tag: 'Connectors',
    summary: 'List sign-in connectors: always empty (Sigil has none)',
    query: z.object({ target: z.string().max(256).optional() }),
    response: z.array(z.never()), status: 200,
    handler: async () => ({ body: [] as never[] }),
  }),
];
