import { redirect } from 'next/navigation';
import { SignInForm } from '../_components/sign-in-form';
import { consoleState } from '../_server/session';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Sigil console' };

export default async function SignInPage() {
  const state = await consoleState();
  if (state.kind !== 'signed-out') redirect('/console');
  return <SignInForm />;
}
