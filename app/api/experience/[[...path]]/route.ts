// Logto's Experience API on Next.js (what Vercel runs): the same function the lean front calls.
import { webHandler } from '@/server/http/envelope';
import { handleExperienceApi } from '@/server/experience-api';
import { ready } from '@/server/next/ready';

export const dynamic = 'force-dynamic';
const handler = webHandler(async (req) => (await ready(), handleExperienceApi(req)));
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as HEAD };
