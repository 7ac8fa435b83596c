// Domain events. A service emits them inside the transaction of the change that causes them, so the
// audit record and every webhook outbox row commit together with the change, or not at all.
import type { Tx } from '../../db/index.ts';
import type { Actor } from '../actor.ts';
import { auditInTx } from '../audit/index.ts';
import { maskSecrets } from '../audit/mask.ts';
import { enqueueHookDeliveries } from './outbox.ts';

export type DataEvent = {
  /** Logto's names where they exist, e.g. `Role.Created`, `User.Data.Updated`. */
  event: string;
  entity: 'Application' | 'Resource' | 'Scope' | 'Role' | 'User' | 'SigningKey' | 'Hook' | 'JwtCustomizer' | 'SubjectToken';
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** What webhook receivers get as `data` (Logto sends the API response body). */
  data?: unknown;
  applicationId?: string;
  userId?: string;
  /** Request facts for Logto-shaped hook payloads (`path`, `method`, `status`, `params`). */
  request?: { path?: string; method?: string; status?: number; params?: Record<string, string> };
};

export async function emitDataEvent(tx: Tx, actor: Actor, e: DataEvent): Promise<void> {
  await auditInTx(tx, {
    key: e.event,
    result: 'Success',
    actor: { type: actor.type, id: actor.id },
    entity: e.entity,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
    applicationId: e.applicationId ?? (actor.type === 'application' ? actor.id : undefined),
    userId: e.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
  await enqueueHookDeliveries(tx, {
    event: e.event,
    createdAt: new Date().toISOString(),
    userAgent: actor.userAgent,
    ip: actor.ip,
    ...e.request,
    data: maskSecrets(e.data ?? e.after ?? null),
  });
}
