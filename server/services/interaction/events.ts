// What an interaction leaves behind: Logto's audit keys (`Interaction.Create`, `Interaction.SignIn.Submit`,
// `Interaction.Register.Submit`, `Interaction.Consent`, `Interaction.End`, each with `interactionId`) and its
// interaction webhooks (`PostSignIn`, `PostRegister`) in Logto's payload shape, written to the outbox in the
// transaction that signs the user in.
import type { Tx } from '../../db/index.ts';
import { audit, auditInTx, type AuditEntry } from '../audit/index.ts';
import { noteOutboxRows } from '../events/signal.ts';
import { enqueueHookDeliveries } from '../events/outbox.ts';
import { toUserResponse, type UserRow } from '../users/response.ts';
import type { InteractionView, RequestMeta } from './types.ts';

export type InteractionAuditKey =
  | 'Interaction.Create'
  | 'Interaction.SignIn.Submit'
  | 'Interaction.Register.Submit'
  | 'Interaction.Consent'
  | 'Interaction.End';

type Entry = AuditEntry & { key: InteractionAuditKey };

function entry(view: InteractionView, meta: RequestMeta, e: Entry): AuditEntry {
  return { ...e, applicationId: view.application.id, interactionId: view.id, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null };
}

export function auditInteraction(view: InteractionView, meta: RequestMeta, e: Entry): Promise<void> {
  return audit(entry(view, meta, e));
}

export function auditInteractionInTx(tx: Tx, view: InteractionView, meta: RequestMeta, e: Entry): Promise<void> {
  return auditInTx(tx, entry(view, meta, e));
}

/**
 * Logto's interaction hook payload: `{ event, interactionEvent, createdAt, sessionId, userAgent, userIp,
 * userId, user, application }` (`sessionId` is the interaction's id; `user` never carries the password).
 */
export async function enqueueInteractionHook(tx: Tx, event: 'PostSignIn' | 'PostRegister', view: InteractionView, user: UserRow, meta: RequestMeta): Promise<boolean> {
  const { id, name, type, isThirdParty } = view.application;
  const enqueued = await enqueueHookDeliveries(tx, {
    event,
    interactionEvent: event === 'PostSignIn' ? 'SignIn' : 'Register',
    createdAt: new Date().toISOString(),
    sessionId: view.id,
    userAgent: meta.userAgent ?? undefined,
    userIp: meta.ip ?? undefined,
    userId: user.id,
    user: toUserResponse(user),
    application: { id, name, type, isThirdParty },
    data: undefined,
  });
  // The transaction helper signals the dispatcher once this commits.
  if (enqueued > 0) noteOutboxRows(tx);
  return enqueued > 0;
}
