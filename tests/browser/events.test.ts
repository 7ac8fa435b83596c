// Webhooks and the audit log in the console, in Chromium against a real Sigil and a real receiver on
// loopback: create a webhook with the events picker (a bad URL named on the way), see its signing key,
// send tests and read the receiver's answer, watch deliveries arrive, dead-letter one and redeliver it,
// then find the changes in the audit log (filters, JSON view, CSV export). No request leaves loopback.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, DESKTOP, openBrowser, PHONE, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';
import { startReceiver, type Receiver } from '../integration/webhooks-receiver.ts';

const ADMIN = { email: 'events-admin@example.com', password: 'a long and careful passphrase' };
let sigil: Sigil;
let receiver: Receiver;
let browser: BrowserSession;
let page: Page;
let api: Awaited<ReturnType<typeof managementClient>>;
let hookId = '';

const dialog = () => page.getByRole('dialog');
const card = (title: string) => page.locator('section.card', { has: page.getByRole('heading', { name: title, level: 2 }) });

describe.skipIf(!chromiumAvailable())('webhooks and audit log in the console', () => {
  beforeAll(async () => {
    receiver = await startReceiver();
    sigil = await startSigil({
      env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, SIGIL_ALLOW_PRIVATE_OUTBOUND: 'true', SIGIL_WEBHOOK_BACKOFF_MS: '200' },
    });
    api = await managementClient(sigil);
    browser = await openBrowser({ viewport: DESKTOP });
    page = browser.page;
    await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await sigil?.stop();
    await receiver?.close();
  });

  it('creates a webhook with the events picker and custom headers, naming a bad URL', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'Create webhook' }).first().click();
    await dialog().getByLabel('Name').fill('Role watcher');
    await dialog().getByLabel('Endpoint URL').fill('ftp://files.example.com/in');
    await dialog().getByRole('checkbox', { name: 'Role.Created', exact: true }).check();
    await dialog().getByRole('checkbox', { name: 'Role.Deleted', exact: true }).check();
    await dialog().getByRole('button', { name: 'Add header' }).click();
    await dialog().getByLabel('Header 1 name').fill('x-team');
    await dialog().getByLabel('Header 1 value').fill('platform');
    await expect(dialog().getByText('2 selected').textContent()).resolves.toBe('2 selected');
    await screenshot(page, 'webhook-create');
    await dialog().getByRole('button', { name: 'Create webhook' }).click();
    await dialog().getByText('must be an absolute http(s) URL').waitFor();
    await dialog().getByLabel('Endpoint URL').fill(receiver.url);
    await dialog().getByRole('button', { name: 'Create webhook' }).click();
    await page.getByRole('heading', { name: 'Role watcher', level: 1 }).waitFor();
    hookId = page.url().split('/').pop()!;

    const saved = await api.get(`/api/hooks/${hookId}`);
    expect(saved.body).toMatchObject({ name: 'Role watcher', events: ['Role.Created', 'Role.Deleted'], config: { url: receiver.url, headers: { 'x-team': 'platform' } } });
    await expect(page.getByTestId('signing-key').textContent()).resolves.toBe(saved.body.signingKey);
  }, 60_000);

  it("sends tests and shows the receiver's status and body", async () => {
    receiver.setBehaviour(() => ({ status: 200, body: '{"received":true}' }));
    await card('Send a test').getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('test-status').filter({ hasText: '200' }).waitFor();
    await expect(page.getByTestId('test-result').textContent()).resolves.toContain('"received": true');
    receiver.setBehaviour(() => ({ status: 500, body: 'receiver on fire' }));
    await card('Send a test').getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('test-status').filter({ hasText: '500' }).waitFor();
    await expect(page.getByTestId('test-result').textContent()).resolves.toMatch(/Failed.*receiver on fire/s);
    await screenshot(page, 'webhook-test-failed');
    const tests = receiver.received.filter((r) => r.body?.path === '/fake-path/:id');
    expect(tests).toHaveLength(2);
    expect(tests[0]!.headers['x-team']).toBe('platform');
  }, 60_000);

  it('lists deliveries, dead-letters a refused one and redelivers it', async () => {
    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}' }));
    const role = await api.post('/api/roles', { name: 'console-watched', description: 'via API' });
    const deliveries = card('Deliveries');
    await deliveries.getByText('Role.Created', { exact: true }).waitFor();
    await deliveries.getByRole('table', { name: 'Deliveries' }).getByText('Delivered', { exact: true }).waitFor();

    receiver.setBehaviour(() => ({ status: 410, body: '{"error":"gone"}' }));
    await api.del(`/api/roles/${role.body.id}`);
    await deliveries.getByRole('button', { name: 'Dead', exact: true }).click();
    await deliveries.getByText('Role.Deleted', { exact: true }).waitFor();
    await deliveries.getByRole('button', { name: 'Details of Role.Deleted delivery' }).click();
    await dialog().getByText('The endpoint answered 410.', { exact: false }).waitFor();
    await expect(dialog().getByLabel('Payload').textContent()).resolves.toContain('"event": "Role.Deleted"');
    await screenshot(page, 'webhook-delivery-dead');

    receiver.setBehaviour(() => ({ status: 200, body: '{"ok":true}' }));
    await dialog().getByRole('button', { name: 'Redeliver' }).click();
    await dialog().getByTestId('delivery-status').getByText('Delivered', { exact: true }).waitFor();
    await expect(dialog().getByTestId('delivery-attempts').textContent()).resolves.toBe('1');
    await dialog().getByRole('button', { name: 'Close', exact: true }).click();
    const copies = receiver.received.filter((r) => r.body?.event === 'Role.Deleted');
    expect(copies).toHaveLength(2);
    expect(copies[1]!.headers['sigil-event-id']).toBe(copies[0]!.headers['sigil-event-id']);

    // The chart and the list's 24 h rate count attempts: 2 delivered, 1 refused.
    await page.reload();
    await card('Delivery attempts').getByText('2 / 3 (67 %) succeeded').waitFor();
    await page.getByRole('img', { name: /Delivery attempts per hour: 2 succeeded, 1 failed/ }).waitFor();
    await screenshot(page, 'webhook-detail');
    await page.getByRole('link', { name: 'Webhooks', exact: true }).first().click();
    await page.getByRole('table', { name: 'Webhooks' }).getByText('2 / 3 (67 %)').waitFor();
    await screenshot(page, 'webhooks');
  }, 60_000);

  it('finds the changes in the audit log: filters, JSON view, export', async () => {
    await page.getByRole('link', { name: 'Audit logs' }).click();
    await page.getByRole('heading', { name: 'Audit logs', level: 1 }).waitFor();
    await page.getByLabel('Event key').fill('Role.*');
    const table = page.getByRole('table', { name: 'Audit log entries' });
    // The filter applies after typing settles: our role's two changes, newest first, then the role
    // bootstrap created for the Management API with its scope (reported apart, as Logto does).
    await expect.poll(() => table.locator('tbody tr td:nth-child(2)').allTextContents(), { timeout: 10_000 }).toEqual(['Role.Deleted', 'Role.Created', 'Role.Scopes.Updated', 'Role.Created']);
    await table.getByRole('button', { name: 'View Role.Created entry' }).first().click();
    const json = await dialog().getByLabel('Entry JSON').textContent();
    expect(JSON.parse(json!)).toMatchObject({ key: 'Role.Created', payload: { result: 'Success', entity: 'Role', after: { name: 'console-watched' }, actor: { type: 'application' } } });
    await screenshot(page, 'audit-log-entry');
    await dialog().getByRole('button', { name: 'Close', exact: true }).click();

    await page.getByLabel('Event key').fill('Hook.*');
    await table.getByRole('cell', { name: 'Hook.Created', exact: true }).waitFor();
    await expect(table.getByRole('row').filter({ hasText: 'Hook.Created' }).textContent()).resolves.toContain(`by ${ADMIN.email}`);
    // Errors only: the test send the receiver answered with 500.
    await page.getByRole('group', { name: 'Result' }).getByRole('button', { name: 'Error' }).click();
    await expect.poll(() => table.locator('tbody tr td:nth-child(2)').allTextContents(), { timeout: 10_000 }).toEqual(['Hook.Tested']);
    await expect(table.locator('tbody tr').textContent()).resolves.toContain('HTTP 500');
    await page.getByLabel('Event key').fill('Application.*');
    await page.getByText('No matching entries').waitFor();
    await page.getByRole('group', { name: 'Result' }).getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Event key').fill('');
    await page.getByRole('img', { name: /Audit events per hour/ }).waitFor();

    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    await expect.poll(() => exportLink.getAttribute('href')).not.toContain('logKey'); // the cleared filter has settled
    const href = await exportLink.getAttribute('href');
    await screenshot(page, 'audit-logs');
    const csv = await page.request.get(`${sigil.url}${href}`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text.startsWith('id,createdAt,key,result,applicationId,userId,ip,userAgent,payload\r\n')).toBe(true);
    expect(text).toContain(',Role.Created,Success,');
    // Without the session cookie the export is refused.
    expect((await fetch(`${sigil.url}${href}`)).status).toBe(401);

    await page.setViewportSize(PHONE);
    await page.reload();
    await table.waitFor();
    await screenshot(page, 'audit-logs-phone');
    await page.setViewportSize(DESKTOP);
  }, 60_000);

  it('made no request off loopback and no page errors', () => {
    expect(browser.externalRequests).toEqual([]);
    // 4xx loads are expected (the refused URL above; the favicon).
    expect(browser.pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e))).toEqual([]);
  });
});
