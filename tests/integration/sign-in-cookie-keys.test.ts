// Session cookie keys (Logto's /api/configs/oidc/cookie-keys): the newest key signs `_session.sig`, every
// listed key verifies it. Rotation keeps a signed-in browser signed in; deleting the key that signed its
// cookie signs it out; the last key cannot go. Observed on the wire through /oidc/auth with prompt=none.
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, browse } from '../helpers/sign-in.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { signInFixture, type SignInFixture } from './sign-in.setup.ts';

describe('session cookie keys', () => {
  let sigil: Sigil;
  let f: SignInFixture;
  const jar = new CookieJar();

  beforeAll(async () => {
    sigil = await startSigil({ mode: 'lean' });
    f = await signInFixture(sigil);
  });
  afterAll(async () => sigil?.stop());

  async function authorize(prompt?: string) {
    const url = new URL(`${sigil.url}/oidc/auth`);
    const params = {
      client_id: f.spa.id, redirect_uri: f.redirectUri, response_type: 'code', scope: 'openid', state: 's',
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256',
      ...(prompt ? { prompt } : {}),
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return browse(sigil, jar, url.href);
  }

  /** With prompt=none: `login_required` when the browser's session is not (or no longer) valid. */
  const signedIn = async () => new URL((await authorize('none')).location!).searchParams.get('error') !== 'login_required';

  const json = (method: string, path: string, body?: unknown) =>
    browse(sigil, jar, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((s) => JSON.parse(s.body || 'null'));

  it('lists one key, refuses to delete the last one, keeps sessions across a rotation and ends them on deletion', async () => {
    const listed = await f.api.get('/api/configs/oidc/cookie-keys');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([{ id: expect.any(String), createdAt: expect.any(Number) }]);
    const [first] = listed.body as Array<{ id: string }>;
    expect(await f.api.del(`/api/configs/oidc/cookie-keys/${first!.id}`)).toMatchObject({ status: 422, body: { code: 'oidc.key_required' } });

    expect((await authorize()).location).toBe(`/sign-in?app_id=${f.spa.id}`);
    await json('PUT', '/api/experience', { interactionEvent: 'SignIn' });
    const { verificationId } = await json('POST', '/api/experience/verification/password', { identifier: { type: 'username', value: f.user.username }, password: f.user.password });
    await json('POST', '/api/experience/identification', { verificationId });
    expect((await json('POST', '/api/experience/submit')).redirectTo).toMatch(/\/oidc\/auth\//);
    expect(await signedIn()).toBe(true);

    const rotated = await f.api.post('/api/configs/oidc/cookie-keys/rotate', { signingKeyAlgorithm: 'EC' });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toHaveLength(2);
    expect(rotated.body[1].id).toBe(first!.id);
    expect(rotated.body[0].id).not.toBe(first!.id);
    const oldSignature = jar.cookies.get('_session.sig')!;
    // The previous key still verifies; the answer re-signs the cookie under the new key.
    expect(await signedIn()).toBe(true);
    const newSignature = jar.cookies.get('_session.sig')!;
    expect(newSignature).not.toBe(oldSignature);

    expect((await f.api.del(`/api/configs/oidc/cookie-keys/${first!.id}`)).status).toBe(204);
    jar.cookies.set('_session.sig', oldSignature);
    expect(await signedIn()).toBe(false);
    jar.cookies.set('_session.sig', newSignature);
    expect(await signedIn()).toBe(true);
    expect(await f.api.del(`/api/configs/oidc/cookie-keys/${first!.id}`)).toMatchObject({ status: 404, body: { code: 'oidc.key_not_found' } });
    expect(await f.api.post('/api/configs/oidc/cookie-keys/rotate', { rotationGracePeriod: 5 })).toMatchObject({ status: 400 });
  });
});
