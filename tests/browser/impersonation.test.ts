// "Impersonate" on a user's console page, in Chromium against a real Sigil: pick an app with token
// exchange enabled and an API, get a subject token with a live countdown and a ready curl, run that curl
// (the exchange succeeds once, then invalid_grant), watch the countdown reach "expired" (fake clock), and
// see a suspended user refused. No request leaves loopback.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, DESKTOP, openBrowser, screenshot, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { buildWorld, type World } from '../integration/token-exchange.setup.ts';

const ADMIN = { email: 'support-lead@example.com', password: 'correct horse battery staple' };
let sigil: Sigil;
let w: World;
let browser: BrowserSession;
let page: Page;
const failed: string[] = [];

const panel = (): Locator => page.locator('section.card', { has: page.getByRole('heading', { name: 'Impersonate', level: 2 }) });
const run = (command: string, secret: string) =>
  promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '', CLIENT_SECRET: secret } as unknown as NodeJS.ProcessEnv });
const secondsIn = (text: string | null) => {
  const m = /Expires in (\d+):(\d\d)/.exec(text ?? '');
  if (!m) throw new Error(`no countdown in ${text}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

describe.skipIf(!chromiumAvailable())('console impersonation in Chromium', () => {
  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
    w = await buildWorld(sigil);
    browser = await openBrowser({ viewport: DESKTOP });
    page = browser.page;
    browser.context.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    // A fake clock that still runs in real time, so the test can jump to the token's expiry.
    await page.clock.install();
    await signInThroughUi(page, sigil, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await browser?.close();
    await sigil?.stop();
  });

  it('issues a subject token for a chosen app and shows a countdown and a curl that exchanges it once', async () => {
    await page.goto(`${sigil.url}/console/users/${w.alice.id}`);
    await panel().getByLabel('Application').waitFor();
    const options = await panel().getByLabel('Application').locator('option').allTextContents();
    expect(options.some((o) => o.includes(w.support.id))).toBe(true);
    expect(options.some((o) => o.includes(w.plain.id) || o.includes(w.switchedOff.id))).toBe(false);
    await panel().getByLabel('Application').selectOption(w.support.id);
    await panel().getByLabel('API resource').selectOption(w.crm.indicator);
    await panel().getByText("The user's roles grant: read:tickets, write:tickets.").waitFor();

    await panel().getByLabel('Context (optional JSON object)').fill('[1, 2]');
    await panel().getByRole('button', { name: 'Impersonate' }).click();
    await panel().getByText('Context must be a JSON object').waitFor();
    await panel().getByLabel('Context (optional JSON object)').fill('{"ticket": "T-9"}');
    await screenshot(page, 'impersonate-form');
    await panel().getByRole('button', { name: 'Impersonate' }).click();

    const token = (await panel().getByTestId('subject-token').textContent())!;
    expect(token).toMatch(/^sub_[\w-]{43}$/);
    const timer = panel().getByTestId('subject-token-expiry');
    const first = secondsIn(await timer.textContent());
    expect(first).toBeGreaterThan(590);
    expect(first).toBeLessThanOrEqual(600);
    await page.clock.fastForward(3000);
    await expect.poll(async () => secondsIn(await timer.textContent())).toBeLessThan(first);
    await screenshot(page, 'impersonate-token');

    const curl = (await panel().getByTestId('exchange-curl').textContent())!;
    expect(curl).toContain(`subject_token=${token}`);
    expect(curl).toContain(`resource=${w.crm.indicator}`);
    expect(curl).not.toContain(w.support.secret);
    const exchanged = JSON.parse((await run(curl, w.support.secret)).stdout) as { access_token: string; scope: string };
    expect(exchanged.scope).toBe('read:tickets write:tickets');
    const { payload } = await jwtVerify(exchanged.access_token, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { audience: w.crm.indicator });
    expect(payload).toMatchObject({ sub: w.alice.id, client_id: w.support.id });
    expect(JSON.parse((await run(curl, w.support.secret)).stdout)).toEqual({ error: 'invalid_grant', error_description: 'subject token has already been used', code: 'oidc.invalid_grant', message: 'subject token has already been used' });
  }, 90_000);

  it('shows the token as expired when the countdown reaches zero, and starts again', async () => {
    await page.clock.fastForward('10:00');
    await panel().getByText('This subject token has expired.').waitFor();
    await expect(panel().getByTestId('subject-token-expiry').count()).resolves.toBe(0);
    await screenshot(page, 'impersonate-expired');
    await panel().getByRole('button', { name: 'Start again' }).click();
    await panel().getByRole('button', { name: 'Impersonate' }).waitFor();
  }, 60_000);

  it('refuses a suspended user', async () => {
    const hank = await w.makeUser('hank');
    await w.api.patch(`/api/users/${hank.id}/is-suspended`, { isSuspended: true });
    await page.goto(`${sigil.url}/console/users/${hank.id}`);
    await panel().getByText('Suspended users cannot be impersonated.').waitFor();
    await expect(panel().getByRole('button', { name: 'Impersonate' }).count()).resolves.toBe(0);
  }, 60_000);

  it('reached no host but the Sigil under test, without failed responses or page errors', () => {
    expect(browser.externalRequests).toEqual([]);
    // Every response the pages saw succeeded; Chromium's own favicon probe (no /favicon.ico, and not a
    // page request Playwright reports) is the one 404 the console log may show.
    expect(failed).toEqual([]);
    expect(browser.pageErrors.filter((e) => !/Failed to load resource: .*status of 404/.test(e))).toEqual([]);
  });
});
