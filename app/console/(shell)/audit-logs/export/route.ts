// The console's audit export: the same streamed NDJSON/CSV as GET /api/logs/export, authorised by the
// administrator's session cookie instead of a Bearer token, so the page can offer a plain download link.
import { readAdminSession } from '@/server/auth/session';
import { toReadableStream } from '@/server/http/envelope';
import { ready } from '@/server/next/ready';
import { logExportQuery } from '@/server/schemas/logs';
import { exportLogs } from '@/server/services/logs';

export const dynamic = 'force-dynamic';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export async function GET(req: Request): Promise<Response> {
  await ready();
  if (!(await readAdminSession(req.headers.get('cookie')))) {
    return Response.json({ code: 'auth.unauthorized', message: 'Sign in to the console first.' }, { status: 401 });
  }
  const parsed = logExportQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'query';
    return Response.json({ code: 'guard.invalid_input', message: `Invalid query: ${field}: ${issue.message}`, field }, { status: 400 });
  }
  const { format, ...filter } = parsed.data;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(toReadableStream(exportLogs(filter, format)), {
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="sigil-audit-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
}
