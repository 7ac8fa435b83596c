// The REST Management API on Next.js (what Vercel runs): the same functions the lean front calls.
import { webHandler } from '@/server/http/envelope';
import { handleManagementApi, MAX_API_BODY_BYTES } from '@/server/management-api';
import { ready } from '@/server/next/ready';

export const dynamic = 'force-dynamic';
const handler = webHandler(async (req) => (await ready(), handleManagementApi(req)), MAX_API_BODY_BYTES);
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD };
