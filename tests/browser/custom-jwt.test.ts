// The Custom JWT playground in headless Chromium against a real server: Monaco loads from the app itself
// (no external request), knows the argument types, runs an edited script and shows the claims and the final
// token, marks a syntax error at its position, saves (the next M2M token carries the claims), and asks
// before leaving with unsaved changes. Screenshots: test-artifacts/screenshots/custom-jwt-*.png.
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { setupM2M, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';

const ADMIN = { email: 'claims-admin@example.com', password: 'correct horse battery staple' };
let sigil: Sigil;
let session: BrowserSession;
let page: Page;
/** URLs the browser reported as failed loads (console "Failed to load resource"). */
const failedLoads: string[] = [];

beforeAll(async () => {
  sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
  session = await openBrowser();
  page = session.page;
  page.on('console', (m) => m.type() === 'error' && /Failed to load resource/.test(m.text()) && failedLoads.push(m.location().url));
  await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
}, 180_000);
afterAll(async () => {
  await session?.close();
  await sigil?.stop();
});

const scriptEditor = () => page.locator('[data-editor$="getCustomJwtClaims.js"] .monaco-editor');

/**
 * Puts the caret in the script editor: a click on the editor's text area (relative to the editor box, not
 * to .view-lines, which moves when a long line scrolls horizontally). Monaco then owns the keyboard.
 */
async function focusScript(): Promise<void> {
  await scriptEditor().click({ position: { x: 320, y: 60 } });
  await expect.poll(() => page.evaluate(() => document.activeElement?.className ?? '')).toMatch(/native-edit-context|inputarea/);
}

/** Replaces the script: select all in Monaco, then insert the text as one input (no auto-closing). */
async function replaceScript(text: string): Promise<void> {
  await focusScript();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The script as Monaco holds it (the visible lines, joined). */
async function visibleScript(): Promise<string> {
  return (await scriptEditor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

describe.skipIf(!chromiumAvailable())('Custom JWT playground', () => {
  it('loads Monaco from Sigil itself with the client-credentials template', async () => {
    await page.getByRole('link', { name: 'Custom JWT' }).click();
    await page.getByRole('heading', { name: 'Custom JWT', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Client credentials' }).click();
    await page.waitForURL(/type=client-credentials/);
    await scriptEditor().waitFor({ timeout: 60_000 });
    await expect.poll(visibleScript, { timeout: 20_000 }).toContain('const getCustomJwtClaims = async');
    await expect.poll(() => page.locator('[data-testid="status"]').innerText()).toBe('not saved');
    await screenshot(page, 'custom-jwt-template');
  }, 120_000);

  it('knows the argument types: completion on context offers application and roles', async () => {
    // At the end of the script, on a fresh line.
    await focusScript();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('/** @type {ClientCredentialsContext} */ const probe = null; probe.');
    const suggest = page.locator('.suggest-widget');
    await expect.poll(async () => {
      if (!(await suggest.isVisible())) await page.keyboard.press('Control+Space');
      return suggest.innerText().catch(() => '');
    }, { timeout: 30_000 }).toMatch(/application[\s\S]*roles|roles[\s\S]*application/);
    await screenshot(page, 'custom-jwt-completion');
    await page.keyboard.press('Escape');
  }, 60_000);

  it('runs an edited script: the claims, the final token with reserved claims marked, the duration', async () => {
    await replaceScript(
      "const getCustomJwtClaims = async ({ context, environmentVariables }) => ({ tenant: environmentVariables.TENANT_ID, app: context.application.name, role_names: context.roles.map((r) => r.name), sub: 'not-allowed' });",
    );
    await page.getByTestId('run').click();
    const result = page.locator('[data-testid="run-result"][data-kind="ok"]');
    await result.waitFor();
    expect(JSON.parse(await page.getByTestId('run-claims').innerText())).toEqual({
      tenant: 'acme',
      app: 'Stats service',
      role_names: ['reporting'],
      sub: 'not-allowed',
    });
    const table = page.getByTestId('final-token');
    await expect.poll(() => table.locator('tr[data-claim="tenant"]').getAttribute('data-origin')).toBe('script');
    expect(await table.locator('tr[data-claim="sub"]').getAttribute('data-origin')).toBe('reserved');
    expect(await table.locator('tr[data-claim="sub"] td.mono').innerText()).toBe('stats-service');
    expect(await page.getByTestId('ignored-claims').innerText()).toBe("Ignored (reserved claims keep Sigil's values): sub");
    expect(await page.getByTestId('run-duration').innerText()).toMatch(/script ran in \d+\.\d\d ms/);
    await screenshot(page, 'custom-jwt-run');
  }, 60_000);

  it('marks a syntax error at its line and column in the editor (Ctrl+Enter runs)', async () => {
    await replaceScript('const getCustomJwtClaims = () => {\nreturn { a: };\n};');
    await page.keyboard.press('ControlOrMeta+Enter');
    const failure = page.locator('[data-testid="run-result"][data-kind="syntax"]');
    await failure.waitFor();
    expect(await failure.innerText()).toMatch(/SyntaxError/);
    expect(await page.getByTestId('error-position').innerText()).toMatch(/^Show line 2, column \d+ in the editor$/);
    // Our decoration on line 2 (whole-line highlight and glyph), plus Monaco's error squiggle.
    await scriptEditor().locator('.sigil-error-line').first().waitFor();
    await scriptEditor().locator('.sigil-error-glyph').first().waitFor();
    await scriptEditor().locator('.squiggly-error').first().waitFor();
    // The highlight sits on line 2 (compared with the gutter's line number "2").
    const lineNumberTwo = scriptEditor().locator('.line-numbers').getByText('2', { exact: true });
    await expect.poll(async () => {
      const [mark, number] = await Promise.all([scriptEditor().locator('.sigil-error-line').first().boundingBox(), lineNumberTwo.boundingBox()]);
      return mark && number ? Math.abs(mark.y - number.y) : Infinity;
    }).toBeLessThan(3);
    await screenshot(page, 'custom-jwt-syntax-error');
  }, 60_000);

  it('saves with the failure policy shown; the next client_credentials token carries the claims', async () => {
    await replaceScript('const getCustomJwtClaims = ({ context, environmentVariables }) => ({ tenant: environmentVariables.TENANT_ID, app: context.application.name });');
    await page.getByTestId('stale-result').waitFor(); // the syntax error shown is from the previous script
    expect(await page.getByTestId('failure-policy').innerText()).toMatch(/issued without custom claims/);
    await page.getByTestId('save').click();
    await expect.poll(() => page.locator('[data-testid="status"]').innerText()).toBe('active');
    expect(await page.getByText('unsaved changes').count()).toBe(0);

    const m2m = await setupM2M(sigil);
    const res = await tokenRequest(sigil, { grant_type: 'client_credentials', resource: m2m.indicator, scope: 'read:products' }, m2m.app);
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.access_token)).toMatchObject({ tenant: 'acme', app: 'Stats service', sub: m2m.app.id });

    await page.getByRole('switch', { name: 'Block issuance when the script fails' }).check();
    await expect.poll(() => page.getByTestId('failure-policy').innerText()).toMatch(/fails with invalid_request/);
    await screenshot(page, 'custom-jwt-saved');
  }, 60_000);

  it('asks before leaving with unsaved changes, and stays when told to', async () => {
    await focusScript();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText('\n// edited');
    await page.getByText('unsaved changes').waitFor();
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toMatch(/unsaved changes/);
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe('/console/custom-jwt');
  }, 60_000);

  it('the access-token tab runs its own template against its samples', async () => {
    page.once('dialog', (dialog) => void dialog.accept()); // leave the unsaved edit behind
    await page.getByRole('tab', { name: 'Access token' }).click();
    await page.waitForURL(/type=access-token/);
    await expect.poll(visibleScript, { timeout: 20_000 }).toContain('user.isSuspended');
    await page.getByTestId('run').click();
    await page.locator('[data-testid="run-result"][data-kind="ok"]').waitFor();
    expect(JSON.parse(await page.getByTestId('run-claims').innerText())).toEqual({ roles: ['orders-admin'], plan: 'pro' });
    await screenshot(page, 'custom-jwt-access-token');
  }, 60_000);

  it('made no request to any host but Sigil, and raised no page errors', () => {
    expect(session.externalRequests).toEqual([]);
    // The console has no favicon yet (not this page's concern); anything else that failed to load is.
    expect(failedLoads.filter((u) => new URL(u).pathname !== '/favicon.ico')).toEqual([]);
    expect(session.pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
