// Server-side gate for console pages: the same session check tRPC uses, plus the fresh-install state.
import { headers } from 'next/headers';
import { readAdminSession, type AdminSession } from '@/server/auth/session';
import { ready } from '@/server/next/ready';
import { ensureBootstrapAdmin, hasAdministrator } from '@/server/services/administrators';

export type ConsoleState = { kind: 'setup' } | { kind: 'signed-out' } | { kind: 'signed-in'; admin: AdminSession };

export async function consoleState(): Promise<ConsoleState> {
  await ready();
  await ensureBootstrapAdmin();
  if (!(await hasAdministrator())) return { kind: 'setup' };
  const admin = await readAdminSession((await headers()).get('cookie'));
  return admin ? { kind: 'signed-in', admin } : { kind: 'signed-out' };
}
