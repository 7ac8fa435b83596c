// Background work of a long-lived self-hosted process. Nothing here is needed for correctness of a
// request: on Vercel the same jobs run from the cron route.
import { startSubjectTokenSweep } from './subject-tokens.ts';

export function startBackgroundWork(): () => void {
  const stops: Array<() => void> = [];
  // Subject tokens a day past expiry (impersonation).
  stops.push(startSubjectTokenSweep());
  return () => stops.forEach((stop) => stop());
}
