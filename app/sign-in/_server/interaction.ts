// What the sign-in and consent pages (Next) know about the request in progress: only what the browser's
// cookies point to in the database. The protocol endpoints run in another process; nothing is shared in memory.
import { cookies, headers } from 'next/headers';
import { env } from '@/server/env';
import { INTERACTION_COOKIE, SESSION_COOKIE, SESSION_SIG_COOKIE, pickInteraction, readInteractionMap } from '@/server/http/cookies';
import { requestIp, requestUserAgent } from '@/server/auth/request';
import { findInteraction, type InteractionView, type RequestMeta } from '@/server/services/interaction';
import { findSession, type LiveSession } from '@/server/services/sign-in/sessions';
import { ready } from '@/server/next/ready';

/** The live interaction this browser has for `appId` (or its newest one), or null. */
export async function currentInteraction(appId: string | undefined): Promise<InteractionView | null> {
  await ready();
  const map = readInteractionMap((await cookies()).get(INTERACTION_COOKIE)?.value);
  const uid = pickInteraction(map, appId);
  return uid ? findInteraction(uid) : null;
}

/** Is `uid` one of this browser's interactions (the `_interaction` cookie names it)? */
export async function ownsInteraction(uid: string): Promise<boolean> {
  const map = readInteractionMap((await cookies()).get(INTERACTION_COOKIE)?.value);
  return Object.values(map).includes(uid);
}

export async function currentSession(): Promise<LiveSession | null> {
  const jar = await cookies();
  return findSession(jar.get(SESSION_COOKIE)?.value, jar.get(SESSION_SIG_COOKIE)?.value);
}

export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return { ip: requestIp(h), userAgent: requestUserAgent(h) ?? null };
}

/** Where the browser goes when a page is done: back to the protocol layer, which finishes the interaction. */
export const resumeUrl = (uid: string) => `${env().issuer}/auth/${uid}`;

export const signInUrl = (appId: string, extra: Record<string, string> = {}) =>
  `/sign-in?${new URLSearchParams({ app_id: appId, ...extra }).toString()}`;
