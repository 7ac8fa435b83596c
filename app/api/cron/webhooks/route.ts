// Vercel Cron (see README "Events, audit log and webhooks"): delivers due webhook retries and anything an
// `after()` pass left, then prunes the audit log. Vercel calls it with `Authorization: Bearer $CRON_SECRET`.
import { runCron } from '@/server/services/webhooks/cron';
import { ready } from '@/server/next/ready';

export const dynamic = 'force-dynamic';
export const maxDuration = 60;

export async function GET(req: Request): Promise<Response> {
  await ready();
  const out = await runCron(req.headers.get('authorization'), { budgetMs: 45_000 });
  return Response.json(out.body, { status: out.status, headers: { 'cache-control': 'no-store' } });
}
