// /api/experience/*: Logto's Experience API, the JSON steps a sign-in page takes (cookie-bound, no bearer
// token). Read the `_interaction` cookie -> validate the body -> the experience service -> JSON in Logto's
// error shape `{ code, message }`. Cross-site requests are refused: the cookies are SameSite=Lax, bodies must
// be JSON (a form cannot send it without a CORS preflight we never grant) and a foreign Origin gets 403.
import { z } from 'zod';
import { env } from '../env.ts';
import { INTERACTION_COOKIE, SESSION_COOKIE, SESSION_SIG_COOKIE, parseCookies, pickInteraction, readInteractionMap, serializeCookie } from '../http/cookies.ts';
import { json, type ProtocolRequest, type ProtocolResponse } from '../http/envelope.ts';
import { log } from '../log.ts';
import { ExperienceError } from '../services/experience/index.ts';
import { EXPERIENCE_ROUTES } from './routes.ts';

export const isExperienceApiPath = (path: string) => path === '/api/experience' || path.startsWith('/api/experience/');

const NO_STORE = { 'cache-control': 'no-store' };
const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { code, message }, { ...NO_STORE, ...headers });

function readBody(req: ProtocolRequest): unknown {
  if (req.bodyError) throw new ExperienceError(413, 'guard.body_too_large', 'The request body is too large.');
  if (!req.body) return {};
  const type = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ExperienceError(415, 'guard.invalid_content_type', 'The request body must be application/json.');
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw new ExperienceError(400, 'guard.invalid_input', 'The request body is not valid JSON.');
  }
  // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the database.
  if (hasNul(body)) throw new ExperienceError(400, 'guard.invalid_input', 'Invalid body: must not contain the NUL character');
  return body;
}

const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000')
    : value && typeof value === 'object' ? Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v)) : false;

function sameOrigin(req: ProtocolRequest): boolean {
  const origin = req.header('origin');
  return !origin || origin === new URL(env().publicUrl).origin;
}

export async function handleExperienceApi(req: ProtocolRequest): Promise<ProtocolResponse> {
  const path = req.path.length > 1 ? req.path.replace(/\/$/, '') : req.path;
  const candidates = EXPERIENCE_ROUTES.filter((r) => r.path === path);
  if (candidates.length === 0) return fail(404, 'guard.not_found', 'Not found.');
  const route = candidates.find((r) => r.method === req.method);
  if (!route) return fail(405, 'guard.method_not_allowed', `Use ${candidates.map((r) => r.method).join(', ')}.`, { allow: candidates.map((r) => r.method).join(', ') });
  if (!sameOrigin(req)) return fail(403, 'auth.forbidden', 'Cross-origin requests are not allowed.');
  try {
    const parsed = route.body.safeParse(readBody(req));
    if (!parsed.success) throw fieldError(parsed.error);
    const cookies = parseCookies(req.header('cookie'));
    const uid = pickInteraction(readInteractionMap(cookies.get(INTERACTION_COOKIE)), undefined);
    const meta = { ip: req.ip, userAgent: req.header('user-agent')?.slice(0, 512) ?? null };
    const out = await route.run({ uid, body: parsed.data as never, meta });
    const response = out.body === undefined ? { status: out.status, headers: { ...NO_STORE }, body: '' } : json(out.status, out.body, NO_STORE);
    if (out.session) {
      const { value, signature, maxAgeSeconds } = out.session.cookie;
      response.cookies = [serializeCookie(SESSION_COOKIE, value, { maxAgeSeconds }), serializeCookie(SESSION_SIG_COOKIE, signature, { maxAgeSeconds })];
    }
    return response;
  } catch (error) {
    if (error instanceof ExperienceError) return fail(error.status, error.code, error.message, error.headers);
    log.error({ err: error, path }, 'experience api request failed');
    return fail(500, 'unknown', 'An unexpected error occurred.');
  }
}

function fieldError(error: z.ZodError): ExperienceError {
  const issue = error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const field = path.map(String).join('.') || 'body';
  return new ExperienceError(400, 'guard.invalid_input', `Invalid body: ${field}: ${issue.message}`);
}
