// The signing keys page in Chromium against a real Sigil: list with status and algorithm, a staged
// rotation (the Next key counts down, then takes over without a reload), the warning for a rotation
// without grace, deleting the Previous key with confirmation; checked against the Management API, JWKS
// and the token endpoint. Screenshots (desktop and phone) for review.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, PHONE, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { managementClient, setupM2M, startSigil, type Sigil } from '../helpers/sigil.ts';
import { issue, kidOf, type M2M } from '../integration/signing-keys.shared.ts';

const ADMIN = { email: 'keys@example.com', password: 'a long and careful passphrase' };
const PATH = '/api/configs/oidc/private-keys';

describe.skipIf(!chromiumAvailable())('console: signing keys', () => {
  let sigil: Sigil;
  let browser: BrowserSession;
  let page: Page;
  let m2m: M2M;
  const apiKeys = async () => (await (await managementClient(sigil)).get(PATH)).body as Array<{ id: string; status: string; algorithm: string }>;
  const rows = () => page.locator('[data-testid="signing-keys"] tbody tr');
  const failed: string[] = [];

  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
    m2m = await setupM2M(sigil);
    browser = await openBrowser();
    page = browser.page;
    browser.context.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await sigil?.stop();
  });

  it('lists the Current key with its algorithm, as the Management API does', async () => {
    await page.getByRole('link', { name: 'Signing keys' }).click();
    await page.locator('tr[data-status="Current"]').waitFor();
    await expect(rows().count()).resolves.toBe(1);
    const [key] = await apiKeys();
    const row = page.locator('tr[data-status="Current"]');
    await expect(row.textContent()).resolves.toContain('EC-P384 (ES384)');
    await expect(row.locator('code').getAttribute('title')).resolves.toBe(key!.id);
    await screenshot(page, 'signing-keys-list');
  });

  it('rotates with a grace period: Next counts down, then signs; the page follows without a reload', async () => {
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByLabel('Algorithm').selectOption('Ed25519');
    await page.getByLabel('Grace period').fill('5');
    await page.getByLabel('Unit').selectOption('seconds');
    await screenshot(page, 'signing-keys-rotate-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
    const next = page.locator('tr[data-status="Next"]');
    await next.waitFor();
    await expect(next.textContent()).resolves.toMatch(/Ed25519 \(EdDSA\).*in \d seconds?/);
    const api = await apiKeys();
    expect(api.map((k) => [k.status, k.algorithm])).toEqual([['Next', 'Ed25519'], ['Current', 'EC-P384']]);
    const jwks = (await (await fetch(`${sigil.url}/oidc/jwks`)).json()).keys.map((k: { kid: string }) => k.kid);
    expect(jwks).toContain(api[0]!.id);
    expect(kidOf(await issue(sigil, m2m))).toBe(api[1]!.id);
    await screenshot(page, 'signing-keys-next');

    await page.locator('tr[data-status="Previous"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('tr[data-status="Current"]').textContent()).resolves.toContain('Ed25519');
    await expect(page.locator('tr[data-status="Next"]').count()).resolves.toBe(0);
    expect(kidOf(await issue(sigil, m2m))).toBe(api[0]!.id);
    await screenshot(page, 'signing-keys-promoted');
  }, 40_000);

  it('warns before a rotation without grace period', async () => {
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await expect(page.getByLabel('Algorithm').inputValue()).resolves.toBe('Ed25519'); // the Current key's
    await page.getByLabel('Grace period').fill('0');
    await page.getByText('Without a grace period, resource servers that cached the JWKS reject the new tokens').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(apiKeys().then((k) => k.length)).resolves.toBe(2);
  });

  it('deletes the Previous key after confirmation', async () => {
    const [, previous] = await apiKeys();
    await page.getByRole('button', { name: `Delete key ${previous!.id}` }).click();
    await page.getByRole('dialog').getByText('tokens it signed will no longer verify').waitFor();
    await screenshot(page, 'signing-keys-delete-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete key', exact: true }).click();
    await page.locator('tr[data-status="Previous"]').waitFor({ state: 'detached' });
    expect((await apiKeys()).map((k) => k.status)).toEqual(['Current']);
    const jwks = (await (await fetch(`${sigil.url}/oidc/jwks`)).json()).keys.map((k: { kid: string }) => k.kid);
    expect(jwks).not.toContain(previous!.id);
  });

  it('fits a phone screen; no request left this machine and the page logged no error', async () => {
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByRole('heading', { name: 'Signing keys', level: 1 }).waitFor();
    await screenshot(page, 'signing-keys-phone');
    expect(browser.externalRequests).toEqual([]);
    // Every console call this page made succeeded; nothing threw. (Failed loads of other pages the nav
    // prefetches are those pages' business, so the browser's generic "Failed to load resource" lines
    // are judged through `failed` instead.)
    expect(failed.filter((f) => f.includes('/api/trpc/') || f.includes('/console/signing-keys'))).toEqual([]);
    const errors = browser.pageErrors.filter((e) => !e.startsWith('console: Failed to load resource'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
