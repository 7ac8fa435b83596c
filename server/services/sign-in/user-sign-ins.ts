// What a user holds from signing in, for the console's user page: live sessions (single sign-on in a
// browser) and live grants (an app's standing authorization, the anchor of its refresh tokens). Nothing
// secret: ids, times, apps, IP addresses and user agents as recorded.
//
// A grant's "last used" is the newest successful token request made with it (authorization code or
// refresh token), taken from the audit log: token requests are audited anyway, so the token endpoint
// writes nothing more for it. It is blank once retention has removed the records.
import { db } from '../../db/index.ts';
import { notFound } from '../errors.ts';

export type UserSession = { id: string; createdAt: number; authTime: number; expiresAt: number; ip: string | null; userAgent: string | null };
export type UserGrant = {
  id: string;
  applicationId: string;
  applicationName: string;
  scopes: string[];
  resources: string[];
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number | null;
  lastUsedIp: string | null;
};

const TOKEN_KEYS = ['ExchangeTokenBy.AuthorizationCode', 'ExchangeTokenBy.RefreshToken'];
/** How many of the user's newest token records are read to date the grants. */
const RECENT_RECORDS = 500;
const LIMIT = 100;

export async function listUserSignIns(userId: string, now = new Date()): Promise<{ sessions: UserSession[]; grants: UserGrant[] }> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw notFound('user', userId);
  const live = { userId, revokedAt: null, expiresAt: { gt: now } };
  const [sessions, grants, records] = await Promise.all([
    db().session.findMany({ where: live, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: LIMIT }),
    db().grant.findMany({ where: live, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: LIMIT, include: { application: { select: { name: true } } } }),
    db().auditLog.findMany({
      where: { userId, result: 'Success', key: { in: TOKEN_KEYS } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: RECENT_RECORDS,
      select: { createdAt: true, payload: true },
    }),
  ]);
  const lastUse = new Map<string, { at: number; ip: string | null }>();
  for (const r of records) {
    const payload = (r.payload ?? {}) as { grantId?: unknown; ip?: unknown };
    if (typeof payload.grantId !== 'string' || lastUse.has(payload.grantId)) continue;
    lastUse.set(payload.grantId, { at: r.createdAt.getTime(), ip: typeof payload.ip === 'string' ? payload.ip : null });
  }
  return {
    sessions: sessions.map((s) => ({
      id: s.id, createdAt: s.createdAt.getTime(), authTime: s.authTime.getTime(), expiresAt: s.expiresAt.getTime(), ip: s.ip, userAgent: s.userAgent,
    })),
    grants: grants.map((g) => ({
      id: g.id,
      applicationId: g.applicationId,
      applicationName: g.application.name,
      scopes: g.scopes.split(' ').filter(Boolean),
      resources: Array.isArray(g.resources) ? (g.resources as string[]) : [],
      createdAt: g.createdAt.getTime(),
      expiresAt: g.expiresAt.getTime(),
      lastUsedAt: lastUse.get(g.id)?.at ?? null,
      lastUsedIp: lastUse.get(g.id)?.ip ?? null,
    })),
  };
}
