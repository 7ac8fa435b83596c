// The API reference page in Chromium against a real Sigil: every route of the Management API route table
// is listed (the document adds only its own public GET /api/swagger.json) with its tag, summary and scope;
// search; expanding POST /api/applications from the keyboard shows its body fields, scope, responses and
// curl; #operationId links open one operation; and the commands the page shows work when run (token
// request, then a list and a create with that token). Screenshots (desktop and phone) for review.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../server/management-api/openapi.ts';
import { ROUTES } from '../../server/management-api/routes/index.ts';
import { chromiumAvailable, openBrowser, PHONE, screenshot, SCREENSHOTS, signInThroughUi, type BrowserSession } from '../helpers/browser.ts';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

const ADMIN = { email: 'reference@example.com', password: 'a long and careful passphrase' };
const exec = promisify(execFile);

/** Runs a command shown on the page with bash, as an operator pasting it would. */
async function run(command: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await exec('bash', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } as unknown as NodeJS.ProcessEnv, timeout: 20_000 });
  return stdout;
}

/** curl -i output: status line, headers, body. */
function parseHttp(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const [statusLine, ...headerLines] = head!.split(/\r?\n/);
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\n\n') };
}

describe.skipIf(!chromiumAvailable())('console: API reference', () => {
  let sigil: Sigil;
  let browser: BrowserSession;
  let page: Page;
  const failed: string[] = [];
  const ops = () => page.locator('[data-operation]');
  const op = (id: string) => page.locator(`[data-operation="${id}"]`);

  beforeAll(async () => {
    sigil = await startSigil({ env: { SIGIL_BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, SIGIL_BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password } });
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

  it('lists every route of the route table with its tag, summary and scope', async () => {
    await page.getByRole('link', { name: 'API reference' }).click();
    await page.getByRole('heading', { name: 'API reference', level: 1 }).waitFor();
    await ops().first().waitFor();
    const rendered = await ops().evaluateAll((els) =>
      els.map((el) => ({
        key: `${el.getAttribute('data-method')} ${el.getAttribute('data-path')}`,
        tag: el.closest('[data-tag]')!.getAttribute('data-tag'),
        summary: el.querySelector('.op-summary')!.textContent,
        scope: el.querySelector('.op-scope')!.textContent,
      })),
    );
    // The document omits no route; it adds only itself (public, so no scope).
    expect(rendered).toHaveLength(ROUTES.length + 1);
    const expected: Array<{ key: string; tag: string; summary: string; scope: string }> = ROUTES.map((r) => ({ key: `${r.method} ${openApiPath(r.path)}`, tag: r.tag, summary: r.summary.replaceAll('`', ''), scope: r.scope })); // `code` renders as <code>
    expected.push({ key: 'GET /api/swagger.json', tag: 'OpenAPI', summary: 'This document (public, no token needed)', scope: 'public' });
    const sort = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect([...rendered].sort(sort)).toEqual([...expected].sort(sort));
    // Groups appear in the route table's tag order.
    const tags = await page.locator('[data-tag]').evaluateAll((els) => els.map((el) => el.getAttribute('data-tag')));
    expect(tags).toEqual([...new Set(ROUTES.map((r) => r.tag)), 'OpenAPI']);
    await expect(page.getByTestId('operation-count').textContent()).resolves.toBe(`${ROUTES.length + 1} operations`);
    // The header facts come from the running server's configuration.
    await expect(page.getByTestId('api-base-url').textContent()).resolves.toBe(sigil.url);
    await expect(page.getByTestId('api-token-endpoint').textContent()).resolves.toBe(`${sigil.url}/oidc/token`);
    await expect(page.getByTestId('api-token-curl').textContent()).resolves.toContain(`--data-urlencode resource='${sigil.url}/api'`);
    await expect(page.getByRole('link', { name: 'OpenAPI JSON' }).getAttribute('href')).resolves.toBe('/api/swagger.json');
    await screenshot(page, 'api-reference');
  });

  it('filters by scope, path, summary and tag', async () => {
    const search = page.getByRole('searchbox', { name: 'Search path, summary, tag or scope' });
    const count = async (query: string, expected: number) => {
      await search.fill(query);
      await expect.poll(() => ops().count()).toBe(expected);
      const total = ROUTES.length + 1;
      await expect(page.getByTestId('operation-count').textContent()).resolves.toBe(expected === total ? `${total} operations` : `${expected} of ${total} operations`);
    };
    // Every word must appear in the method, path, summary, tag or scope.
    const matching = (query: string) =>
      ROUTES.filter((r) => query.toLowerCase().split(' ').every((w) => [r.method, openApiPath(r.path), r.summary, r.tag, r.scope].join(' ').toLowerCase().includes(w))).length;
    expect(matching('write:applications')).toBe(ROUTES.filter((r) => r.scope === 'write:applications').length);
    await count('write:applications', matching('write:applications'));
    await count('/api/subject-tokens', 1);
    await count('Signing keys', ROUTES.filter((r) => r.tag === 'Signing keys').length);
    await count('post roles', matching('post roles'));
    await count('suspend', matching('suspend'));
    await count('no such operation anywhere', 0);
    await page.getByText('No matching operations').waitFor();
    await count('', ROUTES.length + 1);
  });

  it('expands POST /api/applications from the keyboard: body fields, scope, responses and a curl', async () => {
    const row = op('createApplication');
    const toggle = row.locator('button.op-toggle');
    await expect(row.getAttribute('data-path')).resolves.toBe('/api/applications');
    await expect(row.locator('.op-scope').textContent()).resolves.toBe('write:applications');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    const details = page.getByRole('region', { name: 'POST /api/applications' });
    await details.waitFor();
    await expect(details.textContent()).resolves.toContain('Requires scope write:applications (or all).');

    const body = details.locator('[data-section="request-body"]');
    const name = body.locator('.schema-fields > li[data-field="name"] > .schema-line');
    await expect(name.textContent()).resolves.toMatch(/^namestringrequired1–256 chars$/);
    const type = body.locator('.schema-fields > li[data-field="type"] > .schema-line');
    await expect(type.textContent()).resolves.toContain('"MachineToMachine" | "Traditional" | "SPA" | "Native"required');
    await expect(body.locator('li[data-field="description"] .schema-required').count()).resolves.toBe(0);
    await expect(body.locator('pre').textContent()).resolves.toContain('"type": "MachineToMachine"');

    const statuses = await details.locator('[data-section="responses"] li[data-status]').evaluateAll((els) => els.map((el) => el.getAttribute('data-status')));
    expect(statuses).toEqual(['200', '400', '401', '403', '413', '415', '422']);
    const ok = details.locator('li[data-status="200"]');
    await expect(ok.locator('.schema-root').textContent()).resolves.toContain('ApplicationWithSecret');
    await expect(ok.locator('li[data-field="secret"]').count()).resolves.toBe(1);

    const curl = (await page.getByTestId('curl-createApplication').textContent())!;
    expect(curl).toContain(`curl -X POST '${sigil.url}/api/applications'`);
    expect(curl).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(curl).toContain(`-H 'Content-Type: application/json'`);
    expect(new URL(page.url()).hash).toBe('#createApplication');
    await screenshot(page, 'api-reference-expanded');

    // Enter again folds it.
    await page.keyboard.press('Enter');
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(details.count()).resolves.toBe(0);
  });

  it('shows parameters and the pagination headers of a list', async () => {
    await op('listApplications').locator('button.op-toggle').click();
    const details = page.getByRole('region', { name: 'GET /api/applications' });
    const params = await details.locator('tr[data-param]').evaluateAll((els) => els.map((el) => el.getAttribute('data-param')));
    expect(params).toEqual(['page', 'page_size', 'search', 'types', 'isThirdParty', 'excludeRoleId']);
    await expect(details.locator('tr[data-param="page_size"]').textContent()).resolves.toContain('integer 1–100');
    // Applications page only when asked to, as in Logto: the description says what omitting both means.
    await expect(details.locator('tr[data-param="page_size"]').textContent()).resolves.toContain('answers every row');
    const headers = details.locator('[data-section="headers"]');
    await expect(headers.textContent()).resolves.toContain('Total-Number');
    await expect(headers.textContent()).resolves.toContain('Link');
  });

  it('opens the operation a #operationId link names', async () => {
    await page.goto(`${sigil.url}/console/api-reference#getUser`);
    const toggle = op('getUser').locator('button.op-toggle');
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    await expect(page.getByRole('region', { name: 'GET /api/users/{userId}' }).locator('tr[data-param="userId"]').count()).resolves.toBe(1);
    await expect.poll(() => op('getUser').evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);
    // A link to another operation on the page opens it too.
    await page.evaluate(() => (window.location.hash = 'deleteRole'));
    await expect.poll(() => op('deleteRole').locator('button.op-toggle').getAttribute('aria-expanded')).toBe('true');
  });

  it('shows commands that work when run: token request, a list, a create', async () => {
    await page.goto(`${sigil.url}/console/api-reference#listApplications`);
    await op('createApplication').locator('button.op-toggle').click();
    const tokenCommand = (await page.getByTestId('api-token-curl').textContent())!;
    const token = JSON.parse(await run(tokenCommand, { APP_ID: BOOTSTRAP_ID, APP_SECRET: BOOTSTRAP_SECRET })) as { access_token: string; scope: string };
    expect(token.scope).toBe('all');

    const list = parseHttp(await run((await page.getByTestId('curl-listApplications').textContent())!, { TOKEN: token.access_token }));
    expect(list.status).toBe(200);
    expect(Number(list.headers['total-number'])).toBeGreaterThanOrEqual(1); // the bootstrap app at least
    expect(Array.isArray(JSON.parse(list.body))).toBe(true);

    // The skeleton as shown is a well-formed request: only the empty name needs filling in.
    const create = (await page.getByTestId('curl-createApplication').textContent())!;
    const refused = JSON.parse(await run(create, { TOKEN: token.access_token })) as { code: string; field: string };
    expect(refused).toMatchObject({ code: 'guard.invalid_input', field: 'name' });
    const made = JSON.parse(await run(create.replace('"name": ""', '"name": "From the reference"'), { TOKEN: token.access_token })) as { id: string; type: string };
    expect(made.type).toBe('MachineToMachine');
    const api = await managementClient(sigil);
    await expect(api.get(`/api/applications/${made.id}`).then((r) => r.body.name)).resolves.toBe('From the reference');
  });

  it('fits a phone screen; no request left this machine and the page logged no error', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${sigil.url}/console/api-reference#createApplication`);
    await page.getByRole('region', { name: 'POST /api/applications' }).waitFor();
    await screenshot(page, 'api-reference-phone');
    await op('createApplication').screenshot({ path: join(SCREENSHOTS, 'api-reference-phone-operation.png') });
    // Nothing wider than the screen: rows, schema trees and commands wrap.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(browser.externalRequests).toEqual([]);
    expect(failed.filter((f) => f.includes('/api/trpc/') || f.includes('/console/api-reference'))).toEqual([]);
    const errors = browser.pageErrors.filter((e) => !e.startsWith('console: Failed to load resource'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
