// Interaction rows: created by /oidc/auth, read by the sign-in pages and /oidc/auth/:uid, completed once.
import { db, type Tx } from '../../db/index.ts';
import { randomId } from '../crypto.ts';
import type { AuthorizationRequest, ConsentResult, InteractionView, LoginResult } from './types.ts';

export const INTERACTION_TTL_SECONDS = 3600;

type Row = Awaited<ReturnType<Tx['interaction']['findUniqueOrThrow']>> & {
  application: { id: string; name: string; type: string; isThirdParty: boolean };
};

function toView(row: Row): InteractionView {
  return {
    id: row.id,
    application: { id: row.application.id, name: row.application.name, type: row.application.type, isThirdParty: row.application.isThirdParty },
    request: row.request as AuthorizationRequest,
    login: row.userId && row.sessionId && row.authTime ? { userId: row.userId, sessionId: row.sessionId, authTime: row.authTime } : null,
    consent: (row.consent as ConsentResult | null) ?? null,
    expiresAt: row.expiresAt,
  };
}

const WITH_APP = { application: { select: { id: true, name: true, type: true, isThirdParty: true } } } as const;

export async function insertInteraction(request: AuthorizationRequest, login: LoginResult | null, now = new Date()): Promise<InteractionView> {
  const row = await db().interaction.create({
    data: {
      id: randomId(),
      applicationId: request.clientId,
      request,
      ...(login ? { userId: login.userId, sessionId: login.sessionId, authTime: login.authTime } : {}),
      expiresAt: new Date(now.getTime() + INTERACTION_TTL_SECONDS * 1000),
    },
    include: WITH_APP,
  });
  return toView(row);
}

/** A live interaction (not expired, not completed), or null. */
export async function findInteraction(uid: string, now = new Date(), client: Pick<Tx, 'interaction'> = db()): Promise<InteractionView | null> {
  if (!/^[a-z0-9]{21}$/.test(uid)) return null;
  const row = await client.interaction.findUnique({ where: { id: uid }, include: WITH_APP });
  if (!row || row.completedAt || row.expiresAt <= now) return null;
  return toView(row);
}

export async function recordLogin(tx: Tx, uid: string, login: LoginResult): Promise<boolean> {
  const { count } = await tx.interaction.updateMany({
    where: { id: uid, completedAt: null },
    data: { userId: login.userId, sessionId: login.sessionId, authTime: login.authTime },
  });
  return count === 1;
}

export async function recordConsentResult(uid: string, consent: ConsentResult, tx: Pick<Tx, 'interaction'> = db()): Promise<boolean> {
  const { count } = await tx.interaction.updateMany({ where: { id: uid, completedAt: null }, data: { consent } });
  return count === 1;
}

/** Single completion: true for exactly one caller. */
export async function markCompleted(tx: Tx, uid: string, now = new Date()): Promise<boolean> {
  const { count } = await tx.interaction.updateMany({ where: { id: uid, completedAt: null, expiresAt: { gt: now } }, data: { completedAt: now } });
  return count === 1;
}
