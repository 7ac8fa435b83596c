// /oidc/* on Next.js (what Vercel runs): the same protocol functions the lean front calls.
import { webHandler } from '@/server/http/envelope';
import { handleOidc } from '@/server/oidc/router';
import { ready } from '@/server/next/ready';

export const dynamic = 'force-dynamic';
const handler = webHandler(async (req) => (await ready(), handleOidc(req)));
export { handler as GET, handler as POST, handler as HEAD, handler as OPTIONS, handler as PUT, handler as PATCH, handler as DELETE };
