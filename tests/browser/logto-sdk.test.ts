// Logto's own Node SDK (@logto/node, unchanged) against Sigil, with a person signing in through Sigil's real
// sign-in page in Chromium: signIn -> the page -> handleSignInCallback -> getIdTokenClaims, fetchUserInfo,
// getAccessToken(resource) (verified with jose's remote JWKS), refresh rotation, signOut (revocation and
// the end-session page). Once as a public app (no secret) and once as a Traditional app with a secret (the
// SDK then sends Basic on every request beside client_id). No request leaves loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import LogtoClient, { type LogtoConfig } from '@logto/node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openBrowser, screenshot, type BrowserSession } from '../helpers/browser.ts';
import { startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { signInFixture, type SignInFixture } from '../integration/sign-in.setup.ts';

/** The SDK's storage, in memory (what a web framework would keep in its session). */
class MemoryStorage {
  readonly items = new Map<string, string>();
  async getItem(key: string) { return this.items.get(key) ?? null; }
  async setItem(key: string, value: string) { this.items.set(key, value); }
  async removeItem(key: string) { this.items.delete(key); }
}

let sigil: Sigil;
let f: SignInFixture;
let browser: BrowserSession;
let page: Page;
let app: Server;
let appUrl: string;

/** The "app": a loopback server whose callback and post-logout pages just say where the browser landed. */
async function startApp(): Promise<void> {
  app = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Landed at ${req.url?.split('?')[0]}</h1>`));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

function sdk(config: Partial<LogtoConfig> & { appId: string }) {
  let navigated = '';
  const storage = new MemoryStorage();
  const client = new LogtoClient(
    { endpoint: sigil.url, resources: [f.indicator], scopes: ['email', 'roles', 'custom_data', 'read:orders', 'write:orders'], ...config },
    { navigate: (url: string) => { navigated = url; }, storage },
  );
  return { client, storage, navigated: () => navigated };
}

/** The person's part: the sign-in page in Chromium, until the browser lands on the app's callback. */
async function signInInBrowser(url: string, callback: string, shot?: string): Promise<string> {
  await page.goto(url);
  await page.getByLabel('Username or email').fill(f.user.email);
  await page.getByLabel('Password').fill(f.user.password);
  if (shot) await screenshot(page, shot);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(callback)), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page.url();
}

async function signOutInBrowser(url: string, landing: string): Promise<void> {
  await page.goto(url);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(landing)), page.getByRole('button', { name: 'Sign out' }).click()]);
}

describe.skipIf(!chromiumAvailable())('@logto/node against Sigil, signing in through the page in Chromium', () => {
  beforeAll(async () => {
    sigil = await startSigil();
    await startApp();
    f = await signInFixture(sigil);
    browser = await openBrowser();
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await sigil?.stop();
  });

  it('runs the whole SDK lifecycle for a public app (no secret)', async () => {
    const callback = `${appUrl}/callback`;
    const signedOut = `${appUrl}/signed-out`;
    const created = await f.api.post('/api/applications', { name: 'SDK app', type: 'SPA', oidcClientMetadata: { redirectUris: [callback], postLogoutRedirectUris: [signedOut] } });
    const { client, storage, navigated } = sdk({ appId: created.body.id });

    await client.signIn(callback);
    expect(navigated()).toMatch(new RegExp(`^${sigil.url}/oidc/auth\\?`));
    const landed = await signInInBrowser(navigated(), callback, 'end-user-sign-in');
    await client.handleSignInCallback(landed);
    expect(await client.isAuthenticated()).toBe(true);

    const claims = await client.getIdTokenClaims();
    expect(claims).toMatchObject({ iss: `${sigil.url}/oidc`, aud: created.body.id, sub: f.user.id, email: f.user.email, username: f.user.username, roles: [f.role.name] });
    const info = await client.fetchUserInfo();
    expect(info).toMatchObject({ sub: f.user.id, email: f.user.email, custom_data: { plan: 'gold' } });

    const firstRefresh = await client.getRefreshToken();
    expect(firstRefresh).toMatch(/^[\w-]{43}$/);
    const accessToken = await client.getAccessToken(f.indicator);
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`)), { issuer: `${sigil.url}/oidc`, audience: f.indicator });
    expect(payload).toMatchObject({ sub: f.user.id, client_id: created.body.id, scope: 'read:orders write:orders' });
    const rotated = await client.getRefreshToken();
    expect(rotated).not.toBe(firstRefresh);
    expect((await client.getAccessTokenClaims(f.indicator)).scope).toBe('read:orders write:orders');
    // The SDK's own race: several resources at once on one refresh token (the grace window).
    client.clearAccessToken();
    await Promise.all([client.getAccessToken(f.indicator), client.getAccessToken(), client.getAccessToken(f.indicator)]);
    // The first token again, seconds later (inside the reuse grace window): the same successor as before.
    const old = await tokenRequest(sigil, { grant_type: 'refresh_token', client_id: created.body.id, refresh_token: firstRefresh! });
    expect(old.body.refresh_token).toBe(rotated);

    const second = sdk({ appId: created.body.id });
    await second.client.signIn(callback);
    // Single sign-on: the session cookie in the browser signs the person in without the form.
    await page.goto(second.navigated());
    await page.waitForURL((u) => u.href.startsWith(callback));
    await second.client.handleSignInCallback(page.url());
    const live = await second.client.getRefreshToken();

    await second.client.signOut(signedOut);
    expect(second.navigated()).toBe(`${sigil.url}/oidc/session/end?client_id=${created.body.id}&post_logout_redirect_uri=${encodeURIComponent(signedOut)}`);
    await signOutInBrowser(second.navigated(), signedOut);
    expect(await second.client.isAuthenticated()).toBe(false);
    const revoked = await tokenRequest(sigil, { grant_type: 'refresh_token', client_id: created.body.id, refresh_token: live! });
    expect(revoked.body.error_description).toBe('refresh token has been revoked');
    // The session is over: signing in again shows the form.
    const third = sdk({ appId: created.body.id });
    await third.client.signIn(callback);
    await page.goto(third.navigated());
    await page.getByLabel('Username or email').waitFor();
    expect(storage.items.size).toBeGreaterThan(0);
    expect(browser.externalRequests).toEqual([]);
    // Chromium asks every origin for /favicon.ico, which Sigil does not serve (404); nothing else may fail.
    expect(browser.pageErrors.filter((e) => !/Failed to load resource: .*status of 404/.test(e))).toEqual([]);
  });

  it('works for a Traditional app with a secret (Basic on every request)', async () => {
    const callback = `${appUrl}/web/callback`;
    const signedOut = `${appUrl}/web/signed-out`;
    const created = await f.api.post('/api/applications', { name: 'SDK web app', type: 'Traditional', oidcClientMetadata: { redirectUris: [callback], postLogoutRedirectUris: [signedOut] } });
    const { client, navigated } = sdk({ appId: created.body.id, appSecret: created.body.secret });
    await client.signIn(callback);
    // The first test signed the browser out, so the form shows again.
    await client.handleSignInCallback(await signInInBrowser(navigated(), callback));
    expect((await client.getIdTokenClaims()).sub).toBe(f.user.id);
    const token = await client.getAccessToken(f.indicator);
    expect(token.split('.')).toHaveLength(3);
    const context = await client.getContext({ fetchUserInfo: true });
    expect(context).toMatchObject({ isAuthenticated: true, userInfo: { sub: f.user.id } });
    await client.signOut(signedOut);
    await signOutInBrowser(navigated(), signedOut);
    expect(browser.externalRequests).toEqual([]);
  });
});
