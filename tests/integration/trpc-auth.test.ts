// Every console procedure is behind an administrator session, over real HTTP against a real server:
// each procedure of appRouter (walked from its definition, so a new one is covered the day it is added)
// answers UNAUTHORIZED without a session, and gets past authentication with one. Also: cross-site
// mutations are refused, the session expires absolutely, a tampered cookie is worthless, sign-in is
// throttled per email, and the first-administrator endpoint works once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/trpc/router.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';

/** The only procedures callable without a session, and why. */
const PUBLIC = new Set([
  'meta.info', // issuer and Management API indicator: public facts (also in the discovery document)
  'admin.createFirst', // the fresh-install screen; refused once any administrator exists
]);

const ADMIN = { email: 'root@example.com', password: 'first admin password 1' };

let sigil: Sigil;
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>)
  .map(([path, p]) => ({ path, type: p._def.type }));

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

async function call(path: string, type: string, headers: Record<string, string> = {}, input: unknown = {}) {
  const url = `${sigil.url}/api/trpc/${path}`;
  const res = type === 'query'
    ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : await fetch(url, { method: 'POST', headers: { origin: sigil.url, 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string; data: { code: string; httpStatus: number; field?: string } } };
  return { status: res.status, body };
}

async function signIn(email: string, password: string, headers: Record<string, string> = {}) {
  const csrf = await fetch(`${sigil.url}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf), ...headers },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
  });
  const body = (await res.json()) as { url: string };
  const cookie = cookiesOf(res);
  return { ok: cookie.includes('session-token='), cookie, error: new URL(body.url).searchParams.get('error') };
}

beforeAll(async () => {
  sigil = await startSigil();
});
afterAll(async () => sigil?.stop());

describe('console tRPC: authentication', () => {
  it('has procedures to check (the walk found the routers)', () => {
    expect(procedures.length).toBeGreaterThan(30);
    for (const p of PUBLIC) expect(procedures.map((x) => x.path)).toContain(p);
  });

  it('answers UNAUTHORIZED to every non-public procedure without a session', async () => {
    const failures: string[] = [];
    for (const { path, type } of procedures) {
      if (PUBLIC.has(path)) continue;
      const r = await call(path, type);
      if (r.status !== 401 || r.body.error?.data.code !== 'UNAUTHORIZED') failures.push(`${type} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers the public ones without a session, and createFirst only once', async () => {
    expect((await call('meta.info', 'query')).body.result?.data).toEqual({ issuer: `${sigil.url}/oidc`, managementApi: `${sigil.url}/api` });
    const short = await call('admin.createFirst', 'mutation', {}, { email: ADMIN.email, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error).toMatchObject({ message: 'password: must be at least 12 characters', data: { field: 'password' } });
    const first = await call('admin.createFirst', 'mutation', {}, ADMIN);
    expect(first.status).toBe(200);
    expect(first.body.result?.data).toMatchObject({ email: ADMIN.email, lastSignInAt: null });
    const again = await call('admin.createFirst', 'mutation', {}, { email: 'intruder@example.com', password: 'intruder password 1' });
    expect(again.status).toBe(403);
    expect(again.body.error?.message).toBe('The first administrator already exists; sign in instead.');
    expect((await signIn('intruder@example.com', 'intruder password 1')).ok).toBe(false);
  });

  it('lets every procedure past authentication with a session (inputs aside)', async () => {
    const { cookie, ok } = await signIn(ADMIN.email, ADMIN.password);
    expect(ok).toBe(true);
    const stillRefused: string[] = [];
    for (const { path, type } of procedures) {
      if (path === 'admin.delete') continue; // `{}` is refused by its input anyway; keep the session's admin intact
      const r = await call(path, type, { cookie });
      if (r.status === 401 || r.status >= 500) stillRefused.push(`${path}: ${r.status} ${r.body.error?.message}`);
    }
    expect(stillRefused).toEqual([]);
    const me = await call('admin.me', 'query', { cookie });
    expect(me.body.result?.data).toMatchObject({ email: ADMIN.email });
  });
});

describe('console tRPC: cross-site requests', () => {
  it('refuses a mutation from another origin even with a valid session cookie', async () => {
    const { cookie } = await signIn(ADMIN.email, ADMIN.password);
    const input = { email: 'csrf@example.com', password: 'csrf password 123' };
    const attempts: Array<Record<string, string>> = [
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, origin: sigil.url, 'sec-fetch-site': 'cross-site' },
      { cookie, origin: sigil.url, 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const r = await call('admin.create', 'mutation', headers, input);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.body.error?.data.code).toBe('FORBIDDEN');
    }
    // Neither Origin nor Sec-Fetch-Site: refused too (every browser sends one of them on a POST).
    const bare = await fetch(`${sigil.url}/api/trpc/admin.create`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    expect(bare.status).toBe(403);
    const list = await call('admin.list', 'query', { cookie });
    expect((list.body.result?.data as Array<{ email: string }>).map((a) => a.email)).toEqual([ADMIN.email]);
    // The same call from the console's own origin works.
    const ok = await call('admin.create', 'mutation', { cookie, 'sec-fetch-site': 'same-origin' }, input);
    expect(ok.status).toBe(200);
  });
});

describe('console sessions', () => {
  it('issues an httpOnly SameSite=Lax cookie and ends on sign-out', async () => {
    const csrf = await fetch(`${sigil.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf) },
      body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }).toString(),
    });
    const raw = res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))!;
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(raw)![1]!);
    expect(Math.abs(expires - (Date.now() + 8 * 3600 * 1000))).toBeLessThan(60_000); // SIGIL_CONSOLE_SESSION_MAX_AGE default
    const session = raw.split(';')[0]!;
    expect((await call('admin.me', 'query', { cookie: session })).status).toBe(200);
    // Sign out through next-auth (CSRF-protected POST), then the browser drops the cookie.
    const out = await fetch(`${sigil.url}/api/auth/signout`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${session}; ${cookiesOf(csrf)}` },
      body: new URLSearchParams({ csrfToken, json: 'true' }).toString(),
    });
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))!;
    expect(cleared).toMatch(/^next-auth\.session-token=;/);
  });

  it('refuses a session without the right CSRF token at sign-in', async () => {
    const res = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: 'forged', email: ADMIN.email, password: ADMIN.password, json: 'true' }).toString(),
    });
    expect(cookiesOf(res)).not.toContain('session-token=');
  });

  it('treats a tampered session cookie as no session', async () => {
    const { cookie } = await signIn(ADMIN.email, ADMIN.password);
    // Flip one character in the middle of the encrypted token (the ciphertext, not padding bits).
    const tampered = cookie.replace(/session-token=([^;]+)/, (_, token: string) => {
      const i = Math.floor(token.length / 2);
      return `session-token=${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
    });
    expect(tampered).not.toBe(cookie);
    expect((await call('admin.me', 'query', { cookie: tampered })).status).toBe(401);
  });

  it('expires absolutely after SIGIL_CONSOLE_SESSION_MAX_AGE, whatever the activity', async () => {
    const { cookie } = await signIn(ADMIN.email, ADMIN.password);
    // Read the session in-process against the server's database and key, at a later "now".
    process.env.DATABASE_URL = sigil.databaseUrl;
    process.env.SIGIL_SECRET = sigil.env.SIGIL_SECRET;
    process.env.SIGIL_PUBLIC_URL = sigil.url;
    process.env.SIGIL_DATA_DIR = sigil.dataDir;
    const { readAdminSession } = await import('../../server/auth/session.ts');
    const now = Date.now();
    await expect(readAdminSession(cookie, now)).resolves.toMatchObject({ email: ADMIN.email });
    await expect(readAdminSession(cookie, now + 8 * 3600 * 1000 - 60_000)).resolves.toMatchObject({ email: ADMIN.email });
    await expect(readAdminSession(cookie, now + 8 * 3600 * 1000 + 1000)).resolves.toBeNull();
  });
});

describe('administrator accounts', () => {
  it('a deleted administrator loses access at once; nobody deletes their own account', async () => {
    const { cookie } = await signIn(ADMIN.email, ADMIN.password);
    const other = { email: 'temp-admin@example.com', password: 'temporary password 1' };
    const created = await call('admin.create', 'mutation', { cookie }, other);
    expect(created.status).toBe(200);
    const otherSession = (await signIn(other.email, other.password)).cookie;
    expect((await call('admin.me', 'query', { cookie: otherSession })).status).toBe(200);
    const me = (await call('admin.me', 'query', { cookie })).body.result?.data as { id: string };
    const self = await call('admin.delete', 'mutation', { cookie }, { id: me.id });
    expect(self.status).toBe(422);
    expect(self.body.error?.message).toBe('You cannot delete your own account; ask another administrator.');
    expect((await call('admin.delete', 'mutation', { cookie }, { id: (created.body.result?.data as { id: string }).id })).status).toBe(200);
    expect((await call('admin.me', 'query', { cookie: otherSession })).status).toBe(401);
  });

  it('changes its own password only with the current one', async () => {
    const account = { email: 'rotating@example.com', password: 'original password 1' };
    const { cookie: root } = await signIn(ADMIN.email, ADMIN.password);
    expect((await call('admin.create', 'mutation', { cookie: root }, account)).status).toBe(200);
    const { cookie } = await signIn(account.email, account.password);
    const wrong = await call('admin.changePassword', 'mutation', { cookie }, { currentPassword: 'not it', newPassword: 'replacement password 1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.data.field).toBe('currentPassword');
    expect((await call('admin.changePassword', 'mutation', { cookie }, { currentPassword: account.password, newPassword: 'replacement password 1' })).status).toBe(200);
    expect((await signIn(account.email, account.password)).ok).toBe(false);
    expect((await signIn(account.email, 'replacement password 1')).ok).toBe(true);
  }, 30_000);
});

describe('console sign-in throttling', () => {
  it('locks an email after 5 failures: even the right password is refused, with the wait named', async () => {
    const victim = { email: 'victim@example.com', password: 'victim password 12' };
    const { cookie } = await signIn(ADMIN.email, ADMIN.password);
    expect((await call('admin.create', 'mutation', { cookie }, victim)).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const r = await signIn(victim.email, `wrong guess ${i}`);
      expect(r).toMatchObject({ ok: false, error: 'CredentialsSignin' });
    }
    const locked = await signIn(victim.email, victim.password);
    expect(locked.ok).toBe(false);
    expect(locked.error).toMatch(/^Too many failed sign-in attempts\. Try again in (\d+ seconds|1 minute)\.$/);
    // Another account from the same address is not locked by this (the per-IP threshold is higher).
    expect((await signIn(ADMIN.email, ADMIN.password)).ok).toBe(true);
    // Case and spaces do not give a fresh counter.
    expect((await signIn(` VICTIM@example.com `, victim.password)).ok).toBe(false);
  }, 60_000);
});

describe('bootstrap administrator (SIGIL_BOOTSTRAP_ADMIN_EMAIL / _PASSWORD)', () => {
  it('exists without the setup screen, signs in, and the setup endpoint stays shut', async () => {
    const boot = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: 'Boot@Example.com', SIGIL_BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap password 1' } });
    try {
      const page = await fetch(`${boot.url}/console`, { redirect: 'manual' });
      expect(page.status).toBe(307);
      expect(page.headers.get('location')).toMatch(/\/console\/sign-in$/);
      const first = await fetch(`${boot.url}/api/trpc/admin.createFirst`, {
        method: 'POST',
        headers: { origin: boot.url, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'late@example.com', password: 'late password 123' }),
      });
      expect(first.status).toBe(403);
      const csrf = await fetch(`${boot.url}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const res = await fetch(`${boot.url}/api/auth/callback/credentials`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf) },
        body: new URLSearchParams({ csrfToken, email: 'boot@example.com', password: 'bootstrap password 1', json: 'true' }).toString(),
      });
      const me = await fetch(`${boot.url}/api/trpc/admin.me`, { headers: { cookie: cookiesOf(res) } });
      expect(((await me.json()) as { result: { data: unknown } }).result.data).toMatchObject({ email: 'boot@example.com' });
    } finally {
      await boot.stop();
    }
  }, 60_000);
});
