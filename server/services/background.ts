// Background work of a long-lived self-hosted process. Nothing here is needed for correctness of a
// request: on Vercel the same jobs run from the cron route.
import { env } from '../env.ts';
import { startRetentionJob } from './audit/retention.ts';
import { startSignInSweep } from './sign-in/prune.ts';
import { startSubjectTokenSweep } from './subject-tokens.ts';
import { startDispatcher } from './webhooks/dispatcher.ts';

export function startBackgroundWork(): () => void {
  const stops: Array<() => void> = [];
  // Webhook delivery (SIGIL_WEBHOOK_DISPATCHER=false leaves it to another process or the cron route).
  if (env().webhooks.dispatcher) stops.push(startDispatcher());
  // Audit retention (SIGIL_AUDIT_RETENTION_DAYS): 5 minutes after start, then hourly.
  stops.push(startRetentionJob());
  // Subject tokens a day past expiry (impersonation).
  stops.push(startSubjectTokenSweep());
  // Ended sign-in records (interactions, codes, sessions, grants, refresh tokens) a day past their end.
  stops.push(startSignInSweep());
  return () => stops.forEach((stop) => stop());
}
