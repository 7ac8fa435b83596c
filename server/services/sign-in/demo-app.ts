// Logto's built-in "Live Preview" app (id `demo-app`): a first-party SPA whose only redirect URIs are this
// instance's own `/demo-app`, so codes issued to it never leave Sigil's origin. Logto's tools and tests sign
// in through it; it follows SIGIL_PUBLIC_URL like the Management API's indicator.
import { db } from '../../db/index.ts';
import { env } from '../../env.ts';
import { SYSTEM } from '../actor.ts';
import { createApplication } from '../applications.ts';
import { changed } from '../cache.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';

export const DEMO_APP_ID = 'demo-app';

export async function ensureDemoApp(): Promise<void> {
  const uri = `${env().publicUrl}/${DEMO_APP_ID}`;
  const metadata = { redirectUris: [uri], postLogoutRedirectUris: [uri] };
  const row = await db().application.findUnique({ where: { id: DEMO_APP_ID } });
  if (!row) {
    await createApplication(SYSTEM, { name: 'Live Preview', type: 'SPA', description: 'Preview for the sign-in experience.', oidcClientMetadata: metadata }, { id: DEMO_APP_ID }).catch(
      (error: unknown) => {
        // Another instance starting at the same time did it first.
        if (!isUniqueViolation(error) && !(error instanceof DomainError && error.kind === 'conflict')) throw error;
      },
    );
    return;
  }
  const current = row.oidcClientMetadata as { redirectUris?: string[] } | null;
  if (current?.redirectUris?.[0] !== uri) {
    await db().application.update({ where: { id: DEMO_APP_ID }, data: { oidcClientMetadata: { ...(current ?? {}), ...metadata } } });
    await changed();
  }
}
