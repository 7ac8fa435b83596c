// The console's end-user sign-in pages in Chromium against a real Sigil:
// - Settings → Sign-in: turning sign-up on and raising the minimum password length changes the real
//   sign-in page at once (the "Create one" link, the server refusing a short password, registration), and
//   the Management API's GET /api/sign-in-exp reads the same settings; an empty length range is refused
//   naming the field.
// - A user's "Sessions and apps": a person signs in to a Traditional app in the browser, the app exchanges
//   the code and refreshes; the console lists the session and the grant (app, last use, IP); a cross-site
//   "sign out everywhere" is refused; the real one ends the session and the refresh token is refused.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { signInFixture, type SignInFixture } from '../integration/sign-in.setup.ts';

const ADMIN = { email: 'ops@example.com', password: 'correct horse battery staple' };
let sigil: Sigil;
let f: SignInFixture;
let browser: BrowserSession;
let page: Page;
const failed: string[] = [];

const callbackOf = () => `${f.redirectUri}/web`;
const authorizationUrl = (state: string) => `${sigil.url}/oidc/auth?${new URLSearchParams({
  client_id: f.web.id, redirect_uri: callbackOf(), response_type: 'code', scope: 'openid offline_access', prompt: 'consent', state,
})}`;

/** Ends the end user's browser session (not the administrator's console session). */
const forgetEndUser = () => browser.context.clearCookies({ name: /^_(session|interaction)/ });

/** Runs until the browser is sent to the app's callback (answered here: the app is not running) and returns that URL. */
async function landOnCallback(act: () => Promise<unknown>): Promise<URL> {
  const landed = page.waitForRequest((r) => r.url().startsWith(callbackOf()));
  await act();
  const url = new URL((await landed).url());
  // Let the (routed) callback page finish loading: a navigation still in flight would interrupt the next goto.
  await page.waitForURL((u) => u.href.startsWith(callbackOf()));
  return url;
}

describe.skipIf(!chromiumAvailable())('console: sign-in experience and a user\'s sessions in Chromium', () => {
  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
    f = await signInFixture(sigil);
    browser = await openBrowser();
    page = browser.page;
    await browser.context.route(`${f.redirectUri}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>App callback</h1>' }));
    browser.context.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sigil?.stop();
  });

  it('turns sign-up on and raises the password length, and the sign-in page follows at once', async () => {
    await page.goto(authorizationUrl('s1'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByRole('link', { name: 'Create one' }).count()).resolves.toBe(0);

    await page.goto(`${sigil.url}/console`);
    await page.getByRole('link', { name: 'Sign-in', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign-in experience', level: 1 }).waitFor();
    const signUp = page.getByRole('switch', { name: 'Allow sign-up' });
    expect(await signUp.isChecked()).toBe(false);
    await expect(page.getByLabel('Minimum password length').inputValue()).resolves.toBe('8');

    // An empty range is refused by the service, naming the field; nothing is saved.
    await page.getByLabel('Minimum password length').fill('40');
    await page.getByLabel('Maximum password length').fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('passwordPolicy.length: min must not exceed max').waitFor();
    expect((await f.api.get('/api/sign-in-exp')).body.passwordPolicy).toEqual({ length: { min: 8, max: 256 } });

    await signUp.check();
    await page.getByLabel('Minimum password length').fill('12');
    await page.getByLabel('Maximum password length').fill('64');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'sign-in-experience');
    // Only what the form edits changed; the username policy and password expiration kept their defaults.
    expect((await f.api.get('/api/sign-in-exp')).body).toEqual({
      id: 'default', signInMode: 'SignInAndRegister', passwordPolicy: { length: { min: 12, max: 64 } },
      usernamePolicy: { allowedChars: { lowercase: true, uppercase: true, numbers: true, underscore: true }, caseSensitive: true, minLength: 1, maxLength: 128 },
      passwordExpiration: { enabled: false },
    });

    await page.goto(authorizationUrl('s2'));
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByRole('heading', { name: 'Create account' }).waitFor();
    const password = page.getByLabel('Password', { exact: true });
    await expect(password.getAttribute('minlength')).resolves.toBe('12');
    // The server holds the rule too, not only the browser's form validation.
    await password.evaluate((el) => el.removeAttribute('minlength'));
    await page.getByLabel('Username or email').fill('bob_console');
    await password.fill('elevenchars');
    await page.getByLabel('Confirm password').fill('elevenchars');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('The password must be at least 12 characters.').waitFor();
    await page.getByLabel('Username or email').fill('bob_console');
    await page.getByLabel('Password', { exact: true }).fill('twelve chars!');
    await page.getByLabel('Confirm password').fill('twelve chars!');
    const callback = await landOnCallback(() => page.getByRole('button', { name: 'Create account' }).click());
    expect(callback.searchParams.get('state')).toBe('s2');
    expect((await f.api.get('/api/users?search=bob_console')).body).toHaveLength(1);
    await forgetEndUser();

    // Off again: no link, and asking for the registration form shows the sign-in form.
    await page.goto(`${sigil.url}/console/sign-in-experience`);
    await signUp.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await page.goto(authorizationUrl('s3'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByRole('link', { name: 'Create one' }).count()).resolves.toBe(0);
    await page.goto(`${new URL(page.url()).href}&mode=register`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }, 120_000);

  it('lists a signed-in user\'s session and app, and "Sign out everywhere" makes their refresh token worthless', async () => {
    const callback = await landOnCallback(async () => {
      await page.goto(authorizationUrl('u1'));
      await page.getByLabel('Username or email').fill(f.user.username);
      await page.getByLabel('Password').fill(f.user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    });
    const client = { id: f.web.id, secret: f.web.secret };
    const tokens = await tokenRequest(sigil, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: callbackOf() }, client);
    expect(tokens.status).toBe(200);
    const refreshToken = tokens.body.refresh_token as string;
    expect((await tokenRequest(sigil, { grant_type: 'refresh_token', refresh_token: refreshToken }, client)).status).toBe(200);

    await page.goto(`${sigil.url}/console/users/${f.user.id}`);
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Sessions and apps', level: 2 }) });
    const sessions = card.getByRole('table', { name: 'Sessions' });
    const apps = card.getByRole('table', { name: 'Apps' });
    await sessions.waitFor();
    await expect(sessions.locator('tbody tr').count()).resolves.toBe(1);
    await expect(sessions.locator('tbody tr').innerText()).resolves.toContain('127.0.0.1');
    const app = apps.locator('tbody tr');
    await expect(app.count()).resolves.toBe(1);
    const row = await app.innerText();
    expect(row).toContain('Shop web');
    expect(row).toContain('openid offline_access');
    expect(row).toContain('127.0.0.1');
    expect(row.match(/—/g) ?? []).toHaveLength(0); // last use is known
    await screenshot(page, 'user-sessions');

    // A cross-site request carrying the administrator's cookies changes nothing.
    const cookie = (await browser.context.cookies(sigil.url)).map((c) => `${c.name}=${c.value}`).join('; ');
    const forged = await fetch(`${sigil.url}/api/trpc/signIn.signOutEverywhere`, {
      method: 'POST', headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/json' }, body: JSON.stringify({ userId: f.user.id }),
    });
    expect(forged.status).toBe(403);
    expect((await tokenRequest(sigil, { grant_type: 'refresh_token', refresh_token: refreshToken }, client)).status).toBe(200);

    await card.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await card.getByText('Signed out everywhere').waitFor();
    await card.getByText('Not signed in anywhere.').waitFor();

    const refused = await tokenRequest(sigil, { grant_type: 'refresh_token', refresh_token: refreshToken }, client);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });
    // The browser's session is over too (the form shows again), but the account is not suspended.
    expect((await f.api.get(`/api/users/${f.user.id}`)).body.isSuspended).toBe(false);
    await page.goto(authorizationUrl('u2'));
    await page.getByLabel('Username or email').waitFor();
    const audit = await f.api.get(`/api/logs?userId=${f.user.id}&logKey=User.SignIns.Revoked`);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0].payload).toMatchObject({ result: 'Success', actor: { type: 'administrator', email: ADMIN.email }, entityId: f.user.id });
  }, 120_000);

  it('reached no host but loopback, with no page errors and no failed responses but the expected ones', () => {
    expect(browser.externalRequests).toEqual([]);
    // The refused range (400 from tRPC) and the forged request (not the browser's) are the only failures expected.
    expect(failed.filter((u) => !u.includes('/api/trpc/signIn.updateExperience'))).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/Failed to load resource: .*status of (404|400)/.test(e))).toEqual([]);
  });
});
