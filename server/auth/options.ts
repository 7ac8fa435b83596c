// next-auth configuration for the console, built per request because its secret (derived from the
// instance key) is loaded from the database. JWT sessions (no session table): an encrypted cookie,
// httpOnly and SameSite=Lax, `__Secure-` prefixed over https.
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '../env.ts';
import { instanceKeys } from '../services/instance-key.ts';
import { requestIp, requestUserAgent } from './request.ts';
import { SignInThrottled, signInAdministrator } from './sign-in.ts';
import { log } from '../log.ts';

export const SIGN_IN_PAGE = '/console/sign-in';

function toHeaders(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw ?? {})) if (typeof value === 'string') headers.set(name, value);
  return headers;
}

export async function authOptions(): Promise<AuthOptions> {
  const { sessionSecret } = await instanceKeys();
  const { consoleSessionMaxAge: maxAge, publicUrl } = env();
  // next-auth builds its URLs (and picks secure cookies) from NEXTAUTH_URL; Sigil's public URL is the truth.
  process.env.NEXTAUTH_URL = `${publicUrl}/api/auth`;
  return {
    secret: sessionSecret,
    // updateAge = maxAge: next-auth never slides the cookie; readAdminSession enforces the absolute expiry.
    session: { strategy: 'jwt', maxAge, updateAge: maxAge },
    jwt: { maxAge },
    pages: { signIn: SIGN_IN_PAGE, error: SIGN_IN_PAGE },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? '');
          const password = String(credentials?.password ?? '');
          if (!email || !password) return null;
          const headers = toHeaders(req?.headers as Record<string, unknown> | undefined);
          try {
            const admin = await signInAdministrator(email, password, { ip: requestIp(headers), userAgent: requestUserAgent(headers) });
            return admin ? { id: admin.id, email: admin.email } : null;
          } catch (error) {
            // next-auth hands a thrown message to the sign-in page as `error`.
            if (error instanceof SignInThrottled) throw new Error(error.message);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
          token.signedInAt = Math.floor(Date.now() / 1000);
        }
        return token;
      },
      session({ session, token }) {
        session.user = { email: token.email };
        session.expires = new Date(((token.signedInAt as number) + maxAge) * 1000).toISOString();
        return session;
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, detail: metadata instanceof Error ? metadata.message : undefined }, 'console auth error'),
      warn: () => undefined,
      debug: () => undefined,
    },
  };
}
