// The console's sign-in throttling and CSRF check, over HTTP against the real server (Next behind the lean
// front): wrong passwords lock an account only from the address they came from, until a much higher
// account-wide threshold; X-Forwarded-Host cannot vouch for a foreign Origin unless SIGIL_TRUST_PROXY is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../server/auth/throttle.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';

const ADMIN = { email: 'root@example.com', password: 'first admin password 1' };
const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

async function createFirst(sigil: Sigil): Promise<void> {
  const res = await fetch(`${sigil.url}/api/trpc/admin.createFirst`, { method: 'POST', headers: { origin: sigil.url, 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(res.status).toBe(200);
}

async function signIn(sigil: Sigil, password: string, headers: Record<string, string> = {}) {
  const csrf = await fetch(`${sigil.url}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf), ...headers },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password, json: 'true' }).toString(),
  });
  const body = (await res.json()) as { url: string };
  const cookie = cookiesOf(res);
  return { ok: cookie.includes('session-token='), cookie, error: new URL(body.url).searchParams.get('error') };
}

describe('console CSRF check without a trusted proxy', () => {
  let sigil: Sigil;
  beforeAll(async () => {
    sigil = await startSigil();
    await createFirst(sigil);
  });
  afterAll(async () => sigil?.stop());

  it('does not let X-Forwarded-Host vouch for a foreign Origin', async () => {
    const { cookie } = await signIn(sigil, ADMIN.password);
    const create = (headers: Record<string, string>) =>
      fetch(`${sigil.url}/api/trpc/admin.create`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'csrf@example.com', password: 'csrf password 123' }),
      });
    const forged = await create({ origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(forged.status).toBe(403);
    const list = await fetch(`${sigil.url}/api/trpc/admin.list?input=%7B%7D`, { headers: { cookie } });
    expect(((await list.json()) as { result: { data: Array<{ email: string }> } }).result.data.map((a) => a.email)).toEqual([ADMIN.email]);
    // Control: the real origin is accepted.
    expect((await create({ origin: sigil.url })).status).toBe(200);
  });
});

describe('console sign-in throttling (behind a trusted proxy, so each request names its client IP)', () => {
  let sigil: Sigil;
  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_TRUST_PROXY: 'true' } });
    await createFirst(sigil);
  });
  afterAll(async () => sigil?.stop());
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('locks the account from the guessing address only; the owner signs in from another', async () => {
    for (let i = 0; i < THROTTLE.accountIpThreshold; i++) {
      expect(await signIn(sigil, `wrong guess ${i}`, from('198.51.100.66'))).toMatchObject({ ok: false, error: 'CredentialsSignin' });
    }
    const there = await signIn(sigil, ADMIN.password, from('198.51.100.66'));
    expect(there.ok).toBe(false);
    expect(there.error).toMatch(/^Too many failed sign-in attempts\. Try again in (\d+ seconds|1 minute)\.$/);
    expect((await signIn(sigil, ADMIN.password, from('203.0.113.10'))).ok).toBe(true);
  });

  it('locks the account everywhere only past the much higher account-wide threshold', async () => {
    // Spread over many addresses, each staying under its own limits (the first test's 5 failures count).
    let failures = THROTTLE.accountIpThreshold;
    const guess = async () => {
      const n = Math.floor(failures / (THROTTLE.accountIpThreshold - 1));
      expect((await signIn(sigil, `spread guess ${failures}`, from(`192.0.2.${n}`))).ok).toBe(false);
      failures++;
    };
    while (failures < THROTTLE.accountThreshold - 1) await guess();
    // One failure short of the account-wide lock: the owner still gets in from a fresh address.
    expect((await signIn(sigil, ADMIN.password, from('203.0.113.20'))).ok).toBe(true);
    await guess();
    const locked = await signIn(sigil, ADMIN.password, from('203.0.113.30'));
    expect(locked.ok).toBe(false);
    expect(locked.error).toMatch(/^Too many failed sign-in attempts/);
  }, 180_000);
});
