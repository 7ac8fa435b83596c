// Console sign-in (next-auth). Options are built per request: the secret comes from the instance key.
import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/options';
import { ready } from '@/server/next/ready';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ nextauth: string[] }> };
const handler = async (req: Request, context: Context) => {
  await ready();
  return NextAuth(req as never, context as never, await authOptions());
};
export { handler as GET, handler as POST };
