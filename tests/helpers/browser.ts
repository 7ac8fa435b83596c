// Headless Debian Chromium driven by playwright-core, for console tests. Never `npx playwright install`:
// the browser comes from apt (`apt-get install -y chromium`). Every request the pages make is recorded,
// so a test can assert that the console reaches no host but the Sigil under test.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, type Sigil } from './sigil.ts';

export const CHROMIUM = process.env.SIGIL_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export type BrowserSession = {
  context: BrowserContext;
  page: Page;
  /** Every URL requested by any page whose host is not loopback (should stay empty). */
  externalRequests: string[];
  /** Uncaught exceptions in pages, console errors, and 5xx responses (4xx are normal in error flows). */
  pageErrors: string[];
  close: () => Promise<void>;
};

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function isLoopbackUrl(url: string): boolean {
  if (/^(data|blob|about|chrome|chrome-extension|devtools):/.test(url)) return true;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** A fresh profile (its own --user-data-dir, removed on close) in headless Chromium. */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get install -y chromium\``);
  const userDataDir = mkdtempSync(join(tmpdir(), 'sigil-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true, // playwright adds --headless
    args: FLAGS,
    viewport: options.viewport ?? DESKTOP,
    timeout: 60_000,
  });
  const externalRequests: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => {
    if (!isLoopbackUrl(request.url())) externalRequests.push(request.url());
  });
  context.on('response', (response) => {
    if (response.status() >= 500) pageErrors.push(`http ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(`console: ${message.text()}`));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    externalRequests,
    pageErrors,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves test-artifacts/screenshots/<name>.png (full page) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Signs in through the console's sign-in form; resolves when the dashboard shows. */
export async function signInThroughUi(page: Page, sigil: Sigil, email: string, password: string): Promise<void> {
  await page.goto(`${sigil.url}/console/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}
