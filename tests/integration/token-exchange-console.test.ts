// Impersonation from the console over HTTP: an administrator signs in (next-auth credentials), asks the
// tRPC procedures for a subject token, and the exact curl the console shows is run to exchange it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeCurl } from '../../app/console/(shell)/users/exchange-curl.ts';
import { openDb } from '../helpers/db.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { buildWorld, type World } from './token-exchange.setup.ts';

const ADMIN = { email: 'support-lead@example.com', password: 'correct horse battery staple' };
let sigil: Sigil;
let w: World;
let cookie = '';

beforeAll(async () => {
  sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
  w = await buildWorld(sigil);
  cookie = await signIn();
});
afterAll(async () => sigil?.stop());

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

async function signIn(): Promise<string> {
  const csrf = await fetch(`${sigil.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf), origin: sigil.url },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }).toString(),
  });
  const session = cookiesOf(res);
  if (!session.includes('session-token')) throw new Error(`sign-in failed: ${res.status}`);
  return session;
}

async function trpc(kind: 'query' | 'mutation', path: string, input: unknown, headers: Record<string, string> = { cookie, origin: sigil.url }) {
  const url = `${sigil.url}/api/trpc/${path}`;
  const res = kind === 'query'
    ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: any }; error?: { message: string; data: { code: string; domainCode?: string; field?: string } } };
  return { status: res.status, data: body.result?.data, error: body.error };
}

describe('console impersonation (tRPC)', () => {
  it('offers only apps with token exchange enabled, and the APIs with the user\'s scopes', async () => {
    const r = await trpc('query', 'impersonation.options', { userId: w.alice.id });
    expect(r.status).toBe(200);
    const appIds = r.data.apps.map((a: { id: string }) => a.id);
    expect(appIds).toContain(w.support.id);
    expect(appIds).not.toContain(w.plain.id);
    expect(appIds).not.toContain(w.switchedOff.id);
    expect(r.data.resources).toContainEqual({ indicator: w.crm.indicator, name: 'CRM jwt', isDefault: false, userScopes: ['read:tickets', 'write:tickets'] });
    expect(r.data.resources.map((x: { indicator: string }) => x.indicator)).not.toContain(`${sigil.url}/api`);
    expect(r.data.tokenEndpoint).toBe(`${sigil.url}/oidc/token`);
  });

  it('issues a subject token as the administrator; the curl the console shows exchanges it', async () => {
    const r = await trpc('mutation', 'impersonation.start', { userId: w.alice.id, applicationId: w.support.id, context: { ticket: 'T-7' } });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ expiresIn: 600, applicationId: w.support.id, tokenEndpoint: `${sigil.url}/oidc/token` });
    expect(r.data.subjectToken).toMatch(/^sub_[\w-]{43}$/);

    const db = openDb(sigil.databaseUrl);
    try {
      const row = (await db.subjectToken.findMany({ where: { userId: w.alice.id } })).find((x) => (x.context as { ticket?: string }).ticket === 'T-7')!;
      expect(row.requestedBy).toBeNull();
      const event = await db.auditLog.findFirstOrThrow({ where: { key: 'User.SubjectToken.Created', userId: w.alice.id, applicationId: null } });
      expect(event.payload).toMatchObject({ actor: { type: 'administrator', email: ADMIN.email }, entityId: row.id });
    } finally {
      await db.$disconnect();
    }

    const command = exchangeCurl({ ...r.data, resource: w.crm.indicator, scope: 'read:tickets write:tickets' });
    const { stdout } = await promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '', CLIENT_SECRET: w.support.secret } as unknown as NodeJS.ProcessEnv });
    const token = JSON.parse(stdout) as { access_token: string; scope: string; issued_token_type: string };
    expect(token.scope).toBe('read:tickets write:tickets');
    const { payload } = await jwtVerify(token.access_token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { audience: w.crm.indicator });
    expect(payload).toMatchObject({ sub: w.alice.id, client_id: w.support.id });
  });

  it('refuses an app without token exchange, a suspended user, and an unknown user, naming the field', async () => {
    const notAllowed = await trpc('mutation', 'impersonation.start', { userId: w.alice.id, applicationId: w.plain.id });
    expect(notAllowed.error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', domainCode: 'application.token_exchange_not_allowed', field: 'applicationId' });
    const gina = await w.makeUser('gina');
    await w.api.patch(`/api/users/${gina.id}/is-suspended`, { isSuspended: true });
    const suspended = await trpc('mutation', 'impersonation.start', { userId: gina.id, applicationId: w.support.id });
    expect(suspended.error?.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', domainCode: 'user.suspended', field: 'userId' });
    const unknown = await trpc('mutation', 'impersonation.start', { userId: 'nobody', applicationId: w.support.id });
    expect(unknown.error?.data).toMatchObject({ code: 'NOT_FOUND' });
    const badContext = await trpc('mutation', 'impersonation.start', { userId: w.alice.id, applicationId: w.support.id, context: { blob: 'x'.repeat(9000) } });
    expect(badContext.error?.data).toMatchObject({ code: 'BAD_REQUEST', field: 'context' });
  });

  it('needs a session, and refuses a cross-site mutation', async () => {
    const anonymous = await trpc('query', 'impersonation.options', { userId: w.alice.id }, {});
    expect(anonymous.error?.data.code).toBe('UNAUTHORIZED');
    const crossSite = await trpc('mutation', 'impersonation.start', { userId: w.alice.id, applicationId: w.support.id }, { cookie, origin: 'https://evil.example' });
    expect(crossSite.error?.data.code).toBe('FORBIDDEN');
  });
});
