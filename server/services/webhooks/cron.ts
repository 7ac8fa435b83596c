// The cron job behind `GET /api/cron/webhooks`: authenticate the caller (Bearer CRON_SECRET, compared in
// constant time), deliver what is due within the budget, then prune expired audit records and subject tokens.
import { env } from '../../env.ts';
import { pruneExpired } from '../audit/retention.ts';
import { constantTimeEqual } from '../crypto.ts';
import { pruneSignInRecords } from '../sign-in/prune.ts';
import { pruneSubjectTokens } from '../subject-tokens.ts';
import { deliverDue } from './dispatcher.ts';

export type CronOutcome = { status: number; body: Record<string, unknown> };

export async function runCron(authorization: string | null, options: { budgetMs: number }): Promise<CronOutcome> {
  const secret = env().cronSecret;
  if (!secret) return { status: 503, body: { code: 'cron.not_configured', message: 'Set CRON_SECRET to enable the cron route.' } };
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  if (!constantTimeEqual(presented, secret)) return { status: 401, body: { code: 'auth.unauthorized', message: 'A valid Bearer CRON_SECRET is required.' } };
  const started = Date.now();
  const webhooks = await deliverDue({ budgetMs: Math.round(options.budgetMs * 0.75) });
  const retention = await pruneExpired({ budgetMs: Math.max(1_000, options.budgetMs - (Date.now() - started)) });
  const subjectTokens = await pruneSubjectTokens();
  const signIn = await pruneSignInRecords();
  return { status: 200, body: { webhooks, retention, subjectTokensPruned: subjectTokens, signInPruned: signIn, durationMs: Date.now() - started } };
}
