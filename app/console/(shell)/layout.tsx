// The signed-in console. The gate runs on the server for every page: a fresh install shows the one-time
// "Create the first administrator" screen; without a session the operator goes to the sign-in page.
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { FirstAdministrator } from '../_components/first-administrator';
import { Shell } from '../_components/shell';
import { consoleState } from '../_server/session';

export const dynamic = 'force-dynamic';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const state = await consoleState();
  if (state.kind === 'setup') return <FirstAdministrator />;
  if (state.kind === 'signed-out') redirect('/console/sign-in');
  return <Shell email={state.admin.email}>{children}</Shell>;
}
