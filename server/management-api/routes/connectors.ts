// Sigil has no social, email or SMS connectors. Logto's tools list them before they do anything else (Logto's
// own test suite clears social connectors first), so the list exists and is always empty.
import { z } from 'zod';
import { route } from '../route.ts';

export const connectorRoutes = [
  route({
    method: 'GET', path: '/api/connectors', scope: 'all', tag: 'Connectors', summary: 'List connectors (Sigil has none: always [])',
    response: z.array(z.object({ id: z.string() })), status: 200,
    handler: async () => ({ body: [] }),
  }),
];
