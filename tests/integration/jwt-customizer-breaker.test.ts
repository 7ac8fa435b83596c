// The circuit breaker of claims scripts, over HTTP against a real server: a client-credentials script
// that times out 3 times within a minute is tripped (audited as JwtCustomizer.Tripped, visible in the
// GET of its configuration and in the console's tRPC query); while tripped it is not run and tokens are
// issued without its claims (or refused with invalid_request under blockIssuanceOnError); after the
// cool-down (2.5 s here, SIGIL_SANDBOX_BREAKER_COOLDOWN_MS) one trial run decides: a timeout trips it
// again, a success closes it (JwtCustomizer.Recovered). Saving the script resets it.
//
// Whether the script loops is decided by a small control server on 127.0.0.1 that the script fetches,
// so its behaviour changes without saving it (saving would reset the breaker).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { openDb } from '../helpers/db.ts';
import { setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const COOLDOWN_MS = 2500;
const CC = '/api/configs/jwt-customizer/client-credentials';
const ADMIN = { email: 'breaker-admin@example.com', password: 'correct horse battery staple' };
const SCRIPT = `async function getCustomJwtClaims({ environmentVariables }) {
  const mode = await (await fetch(environmentVariables.CONTROL)).text();
  if (mode === 'loop') for (;;) {}
  return { mode };
}`;

let sigil: Sigil;
let db: Db;
let m2m: Awaited<ReturnType<typeof setupM2M>>;
let control: http.Server;
let controlUrl = '';
let mode = 'loop';

beforeAll(async () => {
  control = http.createServer((_req, res) => res.end(mode));
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/mode`;
  sigil = await startSigil({
    env: {
      SIGIL_SANDBOX_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
      SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true',
      SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    },
  });
  m2m = await setupM2M(sigil);
  db = openDb(sigil.databaseUrl);
  expect(await consoleBreaker()).toBeNull(); // signs in now, so later checks are quick
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
  await new Promise((resolve) => control?.close(resolve));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function token() {
  const started = performance.now();
  const res = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
  return { ...res, ms: performance.now() - started, claims: res.status === 200 ? decodeJwt(res.body.access_token) : undefined };
}

async function records(key: string, since: Date) {
  const rows = await db.auditLog.findMany({ where: { key, createdAt: { gte: since } }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => r.payload as Record<string, any>);
}

async function save(extra: Record<string, unknown> = {}) {
  const res = await m2m.api.put(CC, { script: SCRIPT, environmentVariables: { CONTROL: controlUrl }, ...extra });
  expect(res.status).toBeLessThan(300);
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

let consoleCookie = '';

async function signIn(): Promise<string> {
  const csrf = await fetch(`${sigil.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${sigil.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf), origin: sigil.url },
    body: new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: 'true' }).toString(),
  });
  return cookiesOf(signIn);
}

/** The console's view: tRPC jwtCustomizer.playground as a signed-in administrator. */
async function consoleBreaker() {
  consoleCookie ||= await signIn();
  const input = encodeURIComponent(JSON.stringify({ tokenType: 'client-credentials' }));
  const res = await fetch(`${sigil.url}/api/trpc/jwtCustomizer.playground?input=${input}`, { headers: { cookie: consoleCookie, origin: sigil.url } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { customizer: { breaker: unknown } | null } } }).result.data.customizer?.breaker ?? null;
}

describe('circuit breaker', () => {
  it('3 timeouts within a minute trip the script: audited, shown in GET and in the console, and not run while tripped', async () => {
    mode = 'loop';
    await save();
    const since = new Date();
    for (let i = 0; i < 3; i++) {
      const res = await token();
      expect(res.status).toBe(200);
      expect(res.claims!.mode).toBeUndefined();
      expect(res.ms).toBeGreaterThan(900);
    }
    expect((await records('JwtCustomizer.ClientCredentials', since)).map((r) => r.error.code)).toEqual(['timeout', 'timeout', 'timeout']);
    const [trip] = await records('JwtCustomizer.Tripped', since);
    expect(trip).toMatchObject({
      key: 'JwtCustomizer.Tripped',
      result: 'Error',
      tokenType: 'client-credentials',
      reason: 'timed out 3 times within 60 s',
      error: { code: 'tripped', description: 'The client-credentials claims script timed out 3 times within 60 s: not run for 2.5 s, then one trial run' },
      timeouts: 3,
      cooldownMs: COOLDOWN_MS,
    });

    // Tripped: the script is not run (no second of looping, no failure record of its own).
    const tripSince = new Date();
    const tripped = await token();
    expect(tripped.status).toBe(200);
    expect(tripped.claims!.mode).toBeUndefined();
    expect(tripped.ms).toBeLessThan(500);
    expect(await records('JwtCustomizer.ClientCredentials', tripSince)).toEqual([]);
    const [issued] = await records('ExchangeTokenBy.ClientCredentials', tripSince);
    expect(issued!.customClaims).toMatchObject({ failed: 'tripped' });

    const get = await m2m.api.get(CC);
    expect(get.status).toBe(200);
    expect(get.body.circuitBreaker).toEqual({ state: 'open', reason: 'timed out 3 times within 60 s', trippedAt: expect.any(Number), retryAt: expect.any(Number) });
    expect(get.body.circuitBreaker.retryAt - get.body.circuitBreaker.trippedAt).toBeGreaterThanOrEqual(COOLDOWN_MS - 50);
    // The list keeps Logto's shape.
    expect(Object.keys((await m2m.api.get('/api/configs/jwt-customizer')).body[0].value)).not.toContain('circuitBreaker');
    // The cool-down may be over by now on a slow machine: then it says a trial is next.
    expect(await consoleBreaker()).toMatchObject({ state: expect.stringMatching(/^(open|trial)$/), reason: 'timed out 3 times within 60 s' });
  });

  it('after the cool-down one trial runs: a timeout trips it again, and other requests meanwhile stay tripped', async () => {
    await sleep(COOLDOWN_MS + 100);
    expect((await m2m.api.get(CC)).body.circuitBreaker.state).toBe('trial');
    const since = new Date();
    const trial = token();
    await sleep(200);
    const during = await token();
    expect(during.ms).toBeLessThan(500);
    expect((await trial).ms).toBeGreaterThan(900);
    const trips = await records('JwtCustomizer.Tripped', since);
    expect(trips.map((t) => t.reason)).toEqual(['the trial run after the cool-down timed out too']);
    expect((await m2m.api.get(CC)).body.circuitBreaker).toMatchObject({ state: 'open', reason: 'the trial run after the cool-down timed out too' });
  });

  it('a trial that succeeds closes the breaker: claims are back, JwtCustomizer.Recovered is audited', async () => {
    mode = 'ok';
    await sleep(COOLDOWN_MS + 100);
    const since = new Date();
    const res = await token();
    expect(res.status).toBe(200);
    expect(res.claims!.mode).toBe('ok');
    expect(await records('JwtCustomizer.Recovered', since)).toEqual([expect.objectContaining({ key: 'JwtCustomizer.Recovered', result: 'Success', tokenType: 'client-credentials' })]);
    expect((await m2m.api.get(CC)).body.circuitBreaker).toBeUndefined();
    expect(await consoleBreaker()).toBeNull();
    expect((await token()).claims!.mode).toBe('ok');
  });

  it('blockIssuanceOnError: while tripped, token requests fail with invalid_request (tripped) at once', async () => {
    mode = 'loop';
    await save({ blockIssuanceOnError: true });
    for (let i = 0; i < 3; i++) {
      const res = await token();
      expect(res.status).toBe(400);
      expect(res.body.error_description).toBe('the custom claims script failed (timeout) and blockIssuanceOnError is set');
    }
    const res = await token();
    expect(res.ms).toBeLessThan(500);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'the custom claims script failed (tripped) and blockIssuanceOnError is set', code: 'oidc.invalid_request', message: 'the custom claims script failed (tripped) and blockIssuanceOnError is set' });
  });

  it('saving the script resets the breaker: the next request runs it again', async () => {
    expect((await m2m.api.get(CC)).body.circuitBreaker?.state).toBe('open');
    mode = 'ok';
    await save();
    expect((await m2m.api.get(CC)).body.circuitBreaker).toBeUndefined();
    const res = await token();
    expect(res.status).toBe(200);
    expect(res.claims!.mode).toBe('ok');
  });
});
