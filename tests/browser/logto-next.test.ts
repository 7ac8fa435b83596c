// Logto's Next.js SDK (@logto/next, unchanged, server actions) in a small Next app (tests/fixtures/logto-next)
// against Sigil, a person signing in through Sigil's page in Chromium: the app's "Sign in" server action ->
// Sigil's sign-in page -> the app's /callback (handleSignIn) -> its server-rendered page shows the ID token
// claims and userinfo; /token (getAccessToken in a route handler) gives a JWT for the API resource that jose
// verifies against Sigil's JWKS; "Sign out" -> Sigil's end-session page -> back home, signed out everywhere.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, screenshot, type BrowserSession } from '../helpers/browser.ts';
import { freePort, ROOT, startSigil, type Sigil } from '../helpers/sigil.ts';
import { signInFixture, type SignInFixture } from '../integration/sign-in.setup.ts';

const FIXTURE = join(ROOT, 'tests/fixtures/logto-next');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

let sigil: Sigil;
let f: SignInFixture;
let browser: BrowserSession;
let page: Page;
let app: ChildProcess | undefined;
let appOutput = '';
let base: string;

/** Newest modification time of the fixture's sources (not its build). */
function sourcesMtime(dir = FIXTURE): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.next' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? sourcesMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildFixture(): void {
  const id = join(FIXTURE, '.next/BUILD_ID');
  if (existsSync(id) && statSync(id).mtimeMs > sourcesMtime()) return;
  execFileSync(process.execPath, [NEXT_BIN, 'build', FIXTURE], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, timeout: 300_000 });
}

async function startApp(env: Record<string, string>, port: number): Promise<void> {
  app = spawn(process.execPath, [NEXT_BIN, 'start', FIXTURE, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout!.on('data', (d) => (appOutput += d));
  app.stderr!.on('data', (d) => (appOutput += d));
  for (let i = 0; i < 300; i++) {
    if (app.exitCode !== null) throw new Error(`the fixture app exited:\n${appOutput}`);
    if (await fetch(base).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the fixture app did not start:\n${appOutput}`);
}

describe.skipIf(!chromiumAvailable())('@logto/next (a Next.js app) against Sigil in Chromium', () => {
  beforeAll(async () => {
    buildFixture();
    sigil = await startSigil();
    f = await signInFixture(sigil);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const created = await f.api.post('/api/applications', {
      name: 'Shop (Next.js)', type: 'Traditional', oidcClientMetadata: { redirectUris: [`${base}/callback`], postLogoutRedirectUris: [base, `${base}/`] },
    });
    expect(created.status).toBe(200);
    await startApp({
      LOGTO_ENDPOINT: sigil.url,
      LOGTO_APP_ID: created.body.id,
      LOGTO_APP_SECRET: created.body.secret,
      LOGTO_BASE_URL: base,
      LOGTO_RESOURCE: f.indicator,
      LOGTO_SCOPES: 'email roles custom_data read:orders',
      LOGTO_COOKIE_SECRET: 'fixture-cookie-secret-0123456789abcdef',
    }, port);
    browser = await openBrowser();
    page = browser.page;
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await new Promise((r) => app!.once('exit', r));
    }
    await sigil?.stop();
  });

  it('signs in through Sigil, shows the claims server-side, gets a resource token, signs out', async () => {
    await page.goto(base);
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with Sigil' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${sigil.url}/sign-in`));
    await page.getByLabel('Username or email').fill(f.user.email);
    await page.getByLabel('Password').fill(f.user.password);
    await Promise.all([page.waitForURL((u) => u.href === `${base}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('heading', { name: `Hello ${f.user.username}` }).waitFor();
    await screenshot(page, 'logto-next-signed-in');

    const claims = JSON.parse((await page.getByTestId('claims').textContent())!);
    expect(claims).toMatchObject({ iss: `${sigil.url}/oidc`, sub: f.user.id, username: f.user.username, email: f.user.email, roles: [f.role.name] });
    const userInfo = JSON.parse((await page.getByTestId('userinfo').textContent())!);
    expect(userInfo).toMatchObject({ sub: f.user.id, email: f.user.email, custom_data: { plan: 'gold' } });

    await page.goto(`${base}/token`);
    const { accessToken } = JSON.parse((await page.locator('body').textContent())!) as { accessToken: string };
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { issuer: `${sigil.url}/oidc`, audience: f.indicator });
    expect(payload).toMatchObject({ sub: f.user.id, scope: 'read:orders' });

    await page.goto(base);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.href.startsWith(`${sigil.url}/oidc/session/end`));
    await Promise.all([page.waitForURL((u) => u.href.startsWith(base)), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    const token = await fetch(`${base}/token`);
    expect(token.status).toBe(401);
    // Sigil's session ended too: signing in again shows the form.
    await page.getByRole('button', { name: 'Sign in with Sigil' }).click();
    await page.getByLabel('Username or email').waitFor();

    expect(browser.externalRequests).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/Failed to load resource: .*status of 404/.test(e))).toEqual([]);
  }, 120_000);
});
