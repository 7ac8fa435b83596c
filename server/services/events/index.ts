// Domain events. A service emits them inside the transaction of the change that causes them, so the
// audit record and every webhook outbox row commit together with the change, or not at all.
import type { Tx } from '../../db/index.ts';
import type { Actor } from '../actor.ts';
import { auditInTx } from '../audit/index.ts';
import { maskSecrets } from '../audit/mask.ts';
import { currentRequestFacts } from './context.ts';
import { noteOutboxRows } from './signal.ts';
import { enqueueHookDeliveries } from './outbox.ts';

export { HOOK_EVENTS, HOOK_EVENT_NAMES, isHookEvent, type HookEvent } from './catalog.ts';
export { withRequestContext, type RequestFacts } from './context.ts';
export { onConfigCommitted, onOutboxCommitted } from './signal.ts';

export type DataEvent = {
  /** Logto's names where they exist, e.g. `Role.Created`, `User.Data.Updated` (see HOOK_EVENTS). */
  event: string;
  entity: 'Application' | 'Resource' | 'Scope' | 'Role' | 'User' | 'SigningKey' | 'Hook' | 'JwtCustomizer' | 'SubjectToken' | 'Organization' | 'OrganizationRole' | 'OrganizationScope' | 'OrganizationInvitation';
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** What webhook receivers get as `data` (Logto sends the API response body); defaults to `after`, then `before`. */
  data?: unknown;
  /**
   * Top-level hook payload fields in place of `data`, where Logto's payload has them so
   * (`Organization.Membership.Updated`: `organizationId`, `addedUserIds`…; `OrganizationRole.Scopes.Updated`
   * on role creation: `organizationRoleId`). When given, the payload carries no `data`.
   */
  fields?: Record<string, unknown>;
  applicationId?: string;
  userId?: string;
  /** Extra top-level fields of Logto's hook payload for this event (e.g. `roleId` of `Role.Scopes.Updated`). */
  hookFields?: Record<string, string>;
  /** Request facts for Logto-shaped hook payloads; defaults to the Management API request in progress. */
  request?: { path?: string; method?: string; status?: number; params?: Record<string, string> };
};

export async function emitDataEvent(tx: Tx, actor: Actor, e: DataEvent): Promise<void> {
  const request = e.request ?? currentRequestFacts();
  await auditInTx(tx, {
    key: e.event,
    result: 'Success',
    actor: { type: actor.type, id: actor.id, ...(actor.type === 'administrator' && actor.email ? { email: actor.email } : {}) },
    entity: e.entity,
    entityId: e.entityId,
    before: e.before,
    after: e.after,
    applicationId: e.applicationId ?? (actor.type === 'application' ? actor.id : undefined),
    userId: e.userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    ...(request?.path ? { path: request.path, method: request.method } : {}),
  });
  const enqueued = await enqueueHookDeliveries(tx, {
    event: e.event,
    createdAt: new Date().toISOString(),
    userAgent: actor.userAgent,
    ip: actor.ip,
    ...(request ? logtoRequestFacts(request) : {}),
    ...e.hookFields,
    ...(e.fields ? maskSecrets(e.fields) as Record<string, unknown> : { data: maskSecrets(e.data ?? e.after ?? e.before ?? null) }),
  });
  if (enqueued > 0) noteOutboxRows(tx);
}

/**
 * Logto's Management API router is mounted under `/api`, and its hook payloads carry `path` and
 * `matchedRoute` relative to that mount (`/users/:userId`), so receivers keyed on them keep working.
 */
function logtoRequestFacts<T extends { path?: string; matchedRoute?: string }>(facts: T): T {
  const strip = (p: string | undefined) => (p !== undefined && /^\/api(\/|$)/.test(p) ? p.slice(4) || '/' : p);
  return { ...facts, ...(facts.path !== undefined ? { path: strip(facts.path) } : {}), ...(facts.matchedRoute !== undefined ? { matchedRoute: strip(facts.matchedRoute) } : {}) };
}
