// Applications in the console: every Management operation on /api/applications (derived from its one
// declaration), plus what a token request for an app can ask for (console-only).
import { env } from '../../env.ts';
import { applicationOps } from '../../management-api/routes/applications.ts';
import * as apps from '../../services/applications.ts';
import { findClient } from '../../services/clients.ts';
import { proceduresOf } from '../derive.ts';
import { adminProcedure, router } from '../init.ts';
import { byId } from '../pagination.ts';

export const applicationsRouter = router({
  ...proceduresOf(applicationOps),

  /** What a token request for this app can ask for: resources and scopes its M2M roles grant. */
  grants: adminProcedure.input(byId).query(async ({ input }) => {
    await apps.getApplication(input.id);
    const client = await findClient(input.id);
    const resources = [...(client?.grantedScopes ?? new Map<string, Set<string>>())].map(([indicator, scopes]) => ({
      indicator,
      scopes: [...scopes].sort(),
    }));
    return { tokenEndpoint: `${env().issuer}/token`, managementApi: env().managementApiIndicator, resources };
  }),
});
