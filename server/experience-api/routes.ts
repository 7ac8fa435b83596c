// The Experience API's route table (Logto's paths under /api/experience) and the body each one accepts.
import { z } from 'zod';
import * as experience from '../services/experience/index.ts';
import { INTERACTION_EVENTS } from '../services/experience/index.ts';
import type { NewSession } from '../services/sign-in/sessions.ts';
import type { RequestMeta } from '../services/interaction/index.ts';

const value = z.string().min(1).max(320);
const password = z.string().min(1).max(256);
const identifier = z.object({ type: z.enum(['username', 'email', 'phone']), value }).strict();
const event = z.object({ interactionEvent: z.enum(INTERACTION_EVENTS), captchaToken: z.string().max(4096).optional() }).strict();

export type Call = { uid: string | undefined; body: unknown; meta: RequestMeta };
export type Outcome = { status: number; body?: unknown; session?: NewSession };

type Route = { method: string; path: string; body: z.ZodType; run: (call: Call & { body: never }) => Promise<Outcome> };

const route = <B extends z.ZodType>(method: string, path: string, body: B, run: (call: Call & { body: z.infer<B> }) => Promise<Outcome>): Route =>
  ({ method, path, body, run: run as Route['run'] });

export const EXPERIENCE_ROUTES: Route[] = [
  route('PUT', '/api/experience', event, async ({ uid, body }) => {
    await experience.startExperience(uid, body.interactionEvent);
    return { status: 204 };
  }),
  route('PUT', '/api/experience/interaction-event', event.omit({ captchaToken: true }), async ({ uid, body }) => {
    await experience.changeEvent(uid, body.interactionEvent);
    return { status: 204 };
  }),
  route('POST', '/api/experience/verification/password', z.object({ identifier, password }).strict(), async ({ uid, body, meta }) => ({
    status: 200,
    body: { verificationId: await experience.verifyPassword(uid, body.identifier, body.password, meta) },
  })),
  route('POST', '/api/experience/verification/new-password-identity', z.object({ identifier, password }).strict(), async ({ uid, body }) => ({
    status: 200,
    body: { verificationId: await experience.newPasswordIdentity(uid, body.identifier, body.password) },
  })),
  route('POST', '/api/experience/profile', z.object({ type: z.enum(['username', 'password']), value: password }).strict(), async ({ uid, body }) => {
    await experience.updateProfile(uid, body);
    return { status: 204 };
  }),
  route('POST', '/api/experience/identification', z.object({ verificationId: z.string().min(1).max(64).optional() }).strict(), async ({ uid, body, meta }) => ({
    status: (await experience.identify(uid, body.verificationId, meta)) === 'created' ? 201 : 204,
  })),
  route('POST', '/api/experience/submit', z.object({}).strict(), async ({ uid, meta }) => {
    const { redirectTo, session } = await experience.submit(uid, meta);
    return { status: 200, body: { redirectTo }, session };
  }),
];
