// The admin console in a real browser (Debian Chromium via playwright-core) against a real Sigil:
// first-administrator setup, sign-in, building resource + scopes + M2M role + app through the UI, then
// a real token request with the secret read from the page; secrets, token exchange switch, users,
// sign-out, a refused wrong password; screenshots of every page (desktop and phone) for review; and
// not one request to a non-loopback host.
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, PHONE, DESKTOP, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const ADMIN = { email: 'ops@example.com', password: 'a long and careful passphrase' };
const INDICATOR = 'https://orders.example.com/api';

let sigil: Sigil;
let browser: BrowserSession;
let page: Page;
const app = { id: '', secret: '', url: '' };
const shots: string[] = [];

async function shot(name: string) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => window.scrollTo(0, 0)); // sticky sidebar: capture from the top
  shots.push(await screenshot(page, name));
}

const dialog = () => page.getByRole('dialog');

describe.skipIf(!chromiumAvailable())('admin console in Chromium', () => {
  beforeAll(async () => {
    sigil = await startSigil();
    browser = await openBrowser({ viewport: DESKTOP });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await sigil?.stop();
  });

  it('shows the one-time first-administrator screen on a fresh install, then signs in', async () => {
    await page.goto(`${sigil.url}/console/applications`);
    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    await page.goto(`${sigil.url}/console/sign-in`); // no sign-in page before an administrator exists
    await page.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    await shot('setup');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByLabel('Confirm password').fill('too short');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByText('Use at least 12 characters.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(ADMIN.email);
    await shot('dashboard-empty');
  }, 60_000);

  it('creates an API resource with scopes, naming a bad field on the way', async () => {
    await page.goto(`${sigil.url}/console/resources`);
    await page.getByRole('button', { name: 'Create API resource' }).first().click();
    await dialog().getByLabel('Name', { exact: true }).fill('Orders API');
    await dialog().getByLabel('Resource indicator').fill('not a uri');
    await shot('resource-create-dialog');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await dialog().getByText('must be an absolute URI without a fragment (RFC 8707)').waitFor();
    await dialog().getByLabel('Resource indicator').fill(INDICATOR);
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Orders API', level: 1 }).waitFor();
    for (const scope of ['read:orders', 'write:orders']) {
      await page.getByLabel('Scope name').fill(scope);
      await page.getByRole('button', { name: 'Add scope' }).click();
      await page.getByRole('table', { name: 'Scopes' }).getByRole('cell', { name: scope, exact: true }).waitFor();
    }
    await expect(page.getByLabel('Scope name').inputValue()).resolves.toBe('');
    await shot('resource-detail');
  }, 60_000);

  it('creates a machine-to-machine role with a scope picked across resources', async () => {
    await page.goto(`${sigil.url}/console/roles`);
    await page.getByRole('button', { name: 'Create role' }).first().click();
    await dialog().getByLabel('Name', { exact: true }).fill('orders-reader');
    await dialog().getByLabel('Description').fill('Reads orders');
    await dialog().getByLabel('Orders API: read:orders').check();
    await shot('role-create-dialog');
    await dialog().getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('heading', { name: 'orders-reader', level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Scopes of Orders API' }).getByText('read:orders').waitFor();
  }, 60_000);

  it('creates an application, shows its secret once, and Escape closes a dialog', async () => {
    await page.goto(`${sigil.url}/console/applications`);
    await page.getByRole('button', { name: 'Create application' }).first().click();
    await dialog().waitFor();
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Create application' }).first().click();
    await dialog().getByLabel('Name', { exact: true }).fill('Stats service');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await dialog().getByText('it is shown only once').waitFor();
    app.id = (await page.getByTestId('created-app-id').textContent())!;
    app.secret = (await page.getByTestId('created-app-secret').textContent())!;
    expect(app.id).toMatch(/^[a-z0-9]{21}$/);
    expect(app.secret.length).toBeGreaterThanOrEqual(43);
    await shot('application-credentials-dialog');
    await dialog().getByRole('button', { name: 'Open application' }).click();
    await page.getByRole('heading', { name: 'Stats service', level: 1 }).waitFor();
    app.url = page.url();
    expect(await page.content()).not.toContain(app.secret); // never shown again
  }, 60_000);

  it('assigns the role, and a real token request with the secret from the page succeeds', async () => {
    await page.getByRole('button', { name: 'Assign roles' }).click();
    await dialog().getByLabel('orders-reader').check();
    await dialog().getByRole('button', { name: /^Assign/ }).click();
    await page.getByRole('link', { name: 'orders-reader' }).waitFor();
    await expect.poll(() => page.getByTestId('token-curl').textContent()).toContain(INDICATOR);
    const curl = await page.getByTestId('token-curl').textContent();
    expect(curl).toContain(`--data-urlencode resource='${INDICATOR}'`);
    expect(curl).toContain(`--data-urlencode scope='read:orders'`);
    expect(curl).toContain(`-u "${app.id}:$APP_SECRET"`);
    await shot('application-detail');

    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: INDICATOR, scope: 'read:orders' }, app);
    expect(token.status).toBe(200);
    const claims = decodeJwt(token.body.access_token);
    expect(claims).toMatchObject({ aud: INDICATOR, scope: 'read:orders', sub: app.id });
    const refused = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: INDICATOR }, { id: app.id, secret: 'wrong-secret-0123456789' });
    expect(refused.status).toBe(401);
  }, 60_000);

  it('adds a named secret (shown once) and revokes it after confirmation', async () => {
    await page.getByRole('button', { name: 'Add secret' }).click();
    await dialog().getByLabel('Name').fill('ci-runner');
    await dialog().getByLabel('Expires').selectOption('30');
    await dialog().getByRole('button', { name: 'Add secret' }).click();
    const value = (await page.getByTestId('new-secret-value').textContent())!;
    await dialog().getByRole('button', { name: 'Done' }).click();
    expect((await tokenRequest(sigil, { grant_type: 'client_credentials', resource: INDICATOR }, { id: app.id, secret: value })).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke secret ci-runner' }).click();
    await dialog().getByRole('button', { name: 'Revoke' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Revoke secret ci-runner' }).waitFor({ state: 'detached' });
    const after = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: INDICATOR }, { id: app.id, secret: value });
    expect(after.status).toBe(401);
  }, 60_000);

  it('switches token exchange on through the same service the Management API reads', async () => {
    const toggle = page.getByRole('switch', { name: 'Allow token exchange' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(async () => (await (await managementClient(sigil)).get(`/api/applications/${app.id}`)).body.customClientMetadata.allowTokenExchange).toBe(true);
  }, 60_000);

  it('manages a user: create, custom data with live JSON validation, a user role, suspension', async () => {
    const api = await managementClient(sigil);
    await api.post('/api/roles', { name: 'support-agent', description: 'Helps customers', type: 'User' });
    await page.goto(`${sigil.url}/console/users`);
    await page.getByRole('button', { name: 'Create user' }).first().click();
    await dialog().getByLabel('Username').fill('alice');
    await dialog().getByLabel('Email').fill('alice@example.com');
    await dialog().getByLabel('Display name').fill('Alice Liddell');
    await dialog().getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Alice Liddell', level: 1 }).waitFor();
    const editor = page.getByLabel('customData');
    await editor.fill('{"plan": "pro",}');
    await page.getByText(/line 1, column/).waitFor();
    expect(await page.getByRole('button', { name: 'Save custom data' }).isDisabled()).toBe(true);
    await editor.fill('{"plan": "pro", "seats": 5}');
    await page.getByRole('button', { name: 'Save custom data' }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Assign roles' }).click();
    await dialog().getByLabel('support-agent').check();
    await dialog().getByRole('button', { name: /^Assign/ }).click();
    await page.getByRole('table', { name: 'Roles of this user' }).getByRole('link', { name: 'support-agent' }).waitFor();
    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    await dialog().getByRole('button', { name: 'Suspend', exact: true }).click();
    await page.getByRole('button', { name: 'Reactivate' }).waitFor();
    const userId = page.url().split('/').pop()!;
    const stored = (await api.get(`/api/users/${userId}`)).body;
    expect(stored).toMatchObject({ username: 'alice', primaryEmail: 'alice@example.com', isSuspended: true, customData: { plan: 'pro', seats: 5 } });
    expect((await api.get(`/api/users/${userId}/roles`)).body.map((r: { name: string }) => r.name)).toEqual(['support-agent']);
    await shot('user-detail');
  }, 60_000);

  it('the dashboard counts token requests and lists the failure', async () => {
    await page.goto(`${sigil.url}/console`);
    await page.getByText(/\d+ succeeded, \d+ failed in the last 24 hours/).waitFor();
    const summary = await page.getByText(/succeeded, \d+ failed in the last 24 hours/).textContent();
    const [, ok, failed] = /(\d+) succeeded, (\d+) failed/.exec(summary!)!;
    expect(Number(ok)).toBeGreaterThanOrEqual(3); // role token, added secret, management client
    expect(Number(failed)).toBeGreaterThanOrEqual(2); // wrong secret, revoked secret
    await page.getByText('invalid_client').first().waitFor();
    await shot('dashboard');
    await page.getByRole('button', { name: '7 days' }).click();
    await page.getByText(/in the last 7 days/).waitFor();
  }, 60_000);

  it('takes a screenshot of every page at desktop width', async () => {
    const api = await managementClient(sigil);
    const management = (await api.get('/api/resources')).body.find((r: { isBuiltIn: boolean }) => r.isBuiltIn);
    const roles = (await api.get('/api/roles')).body as Array<{ id: string; name: string }>;
    for (const [name, path, heading] of [
      ['applications', '/console/applications', 'Applications'],
      ['resources', '/console/resources', 'API resources'],
      ['resource-management-api', `/console/resources/${management.id}`, management.name],
      ['roles', '/console/roles', 'Roles'],
      ['role-detail', `/console/roles/${roles.find((r) => r.name === 'orders-reader')!.id}`, 'orders-reader'],
      ['role-detail-user', `/console/roles/${roles.find((r) => r.name === 'support-agent')!.id}`, 'support-agent'],
      ['users', '/console/users', 'Users'],
      ['administrators', '/console/administrators', 'Administrators'],
    ] as const) {
      await page.goto(`${sigil.url}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await shot(name);
    }
    // The built-in Management API is read-only in the console.
    await page.goto(`${sigil.url}/console/resources/${management.id}`);
    await page.getByText('It is read-only').waitFor();
    expect(await page.getByRole('button', { name: 'Add scope' }).count()).toBe(0);
  }, 90_000);

  it('works at phone width: the navigation collapses into a drawer', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${sigil.url}/console`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Applications', exact: true }).isVisible()).toBe(false);
    await shot('phone-dashboard');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Applications', exact: true }).waitFor({ state: 'visible' });
    await shot('phone-navigation');
    await page.getByRole('link', { name: 'Applications', exact: true }).click();
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Stats service' }).waitFor();
    await shot('phone-applications');
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Stats service', level: 1 }).waitFor();
    await shot('phone-application-detail');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0); // nothing wider than the phone
    await page.setViewportSize(DESKTOP);
  }, 60_000);

  it('deletes the application only after its name is typed', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Delete application' }).click();
    const confirm = dialog().getByRole('button', { name: 'Delete' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog().getByLabel(/Type .* to confirm/).fill('Stats service');
    await confirm.click();
    await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
    const token = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: INDICATOR }, app);
    expect(token.status).toBe(401);
  }, 60_000);

  it('signs out, refuses a wrong password, and signs in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await page.goto(`${sigil.url}/console/roles`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor(); // signed out for real
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toBe('The email or password is incorrect.');
    await shot('sign-in-error');
    await page.setViewportSize(PHONE);
    await shot('phone-sign-in');
    await page.setViewportSize(DESKTOP);
    await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
  }, 60_000);

  it('made no request to any host but the Sigil under test, and no page error', () => {
    expect(browser.externalRequests).toEqual([]);
    // "Failed to load resource" with a 4xx is Chromium logging the refusals this test provokes on purpose
    // (bad indicator, wrong password); exceptions and 5xx responses are what must not happen.
    const errors = browser.pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
    // On a failure, the server's own account of it (its error log lines) comes with the message.
    const serverErrors = sigil.logs().split('\n').filter((l) => /"level":(50|60)|Error/.test(l)).slice(-20).join('\n');
    expect(errors, serverErrors).toEqual([]);
    expect(shots.length).toBeGreaterThanOrEqual(20);
  });
});
