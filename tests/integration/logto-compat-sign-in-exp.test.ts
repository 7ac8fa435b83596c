// Logto's sign-in experience policies Sigil keeps. Password expiration (PATCH /api/sign-in-exp
// `passwordExpiration`, PATCH /users/:id/password/expiration): Logto's codes; it cannot be enabled without
// forgot-password connectors, which Sigil does not have. Username policy on PATCH /api/sign-in-exp (`usernamePolicy`: caseSensitive, minLength, maxLength,
// allowedChars): stored and returned, and `caseSensitive: false` honoured by Management API user writes
// (422 user.username_already_in_use for a username that differs only by case), on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementClient, startSigil, type Sigil } from '../helpers/sigil.ts';

type Api = Awaited<ReturnType<typeof managementClient>>;

const DEFAULT_POLICY = { caseSensitive: true, minLength: 1, maxLength: 128, allowedChars: { lowercase: true, uppercase: true, numbers: true, underscore: true } };

describe('usernamePolicy (Logto sign-in experience)', () => {
  let sigil: Sigil;
  let api: Api;
  const inUse = { status: 422, body: { code: 'user.username_already_in_use', field: 'username' } };

  beforeAll(async () => {
    sigil = await startSigil();
    api = await managementClient(sigil);
  });
  afterAll(async () => {
    await sigil?.stop();
  });

  it("GET answers Logto's default policy; PATCH stores a partial change and keeps the rest", async () => {
    expect(await api.get('/api/sign-in-exp')).toMatchObject({ status: 200, body: { usernamePolicy: DEFAULT_POLICY } });
    const patched = await api.patch('/api/sign-in-exp', { usernamePolicy: { minLength: 4 } });
    expect(patched).toMatchObject({ status: 200, body: { usernamePolicy: { ...DEFAULT_POLICY, minLength: 4 } } });
    expect((await api.get('/api/sign-in-exp')).body.usernamePolicy).toEqual({ ...DEFAULT_POLICY, minLength: 4 });
  });

  it('invalid policies are refused naming the field, and change nothing', async () => {
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { minLength: 0 } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'usernamePolicy.minLength' } });
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { minLength: 10, maxLength: 5 } })).toMatchObject({ status: 400, body: { code: 'guard.invalid_input', field: 'usernamePolicy.maxLength' } });
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { allowedChars: { lowercase: false, uppercase: false, underscore: false } } })).toMatchObject({ status: 400, body: { field: 'usernamePolicy.allowedChars' } });
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { caseSensitive: 'no' } })).toMatchObject({ status: 400, body: { field: 'usernamePolicy.caseSensitive' } });
    expect((await api.get('/api/sign-in-exp')).body.usernamePolicy).toEqual({ ...DEFAULT_POLICY, minLength: 4 });
  });

  it('case-sensitive (default): usernames differing only by case are different users; the exact one is taken', async () => {
    const lower = await api.post('/api/users', { username: 'casey' });
    const upper = await api.post('/api/users', { username: 'CASEY' });
    expect([lower.status, upper.status]).toEqual([200, 200]);
    expect(await api.post('/api/users', { username: 'CASEY' })).toMatchObject(inUse);
    // Switching to case-insensitive while such pairs exist: Logto's 409, nothing stored.
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { caseSensitive: false } })).toMatchObject({
      status: 409, body: { code: 'sign_in_experiences.username_policy_case_conflicts_exist' },
    });
    expect((await api.get('/api/sign-in-exp')).body.usernamePolicy.caseSensitive).toBe(true);
    await api.del(`/api/users/${upper.body.id}`);
    await api.del(`/api/users/${lower.body.id}`);
  });

  it('case-insensitive: POST and PATCH of a username differing only by case get 422; the same user may change its case', async () => {
    expect(await api.patch('/api/sign-in-exp', { usernamePolicy: { caseSensitive: false } })).toMatchObject({ status: 200, body: { usernamePolicy: { caseSensitive: false } } });
    const alice = await api.post('/api/users', { username: 'alice_policy' });
    expect(alice.status).toBe(200);
    expect(await api.post('/api/users', { username: 'Alice_Policy' })).toMatchObject(inUse);
    const bob = await api.post('/api/users', { username: 'bob_policy' });
    expect(await api.patch(`/api/users/${bob.body.id}`, { username: 'ALICE_POLICY' })).toMatchObject(inUse);
    expect((await api.get(`/api/users/${bob.body.id}`)).body.username).toBe('bob_policy');
    expect(await api.patch(`/api/users/${alice.body.id}`, { username: 'Alice_Policy' })).toMatchObject({ status: 200, body: { username: 'Alice_Policy' } });
    // Administrators are not bound by the length rule (Logto's): minLength is 4 here.
    expect((await api.post('/api/users', { username: 'abc' })).status).toBe(200);
  });

  it('back to case-sensitive: the case variant is accepted again', async () => {
    await api.patch('/api/sign-in-exp', { usernamePolicy: { caseSensitive: true } });
    expect((await api.post('/api/users', { username: 'ALICE_POLICY' })).status).toBe(200);
  });

  it("password expiration: off, and cannot be enabled without forgot-password connectors (Logto's 422s)", async () => {
    expect((await api.get('/api/sign-in-exp')).body.passwordExpiration).toEqual({ enabled: false });
    expect(await api.patch('/api/sign-in-exp', { passwordExpiration: { enabled: false } })).toMatchObject({ status: 200, body: { passwordExpiration: { enabled: false } } });
    expect(await api.patch('/api/sign-in-exp', { passwordExpiration: { enabled: true, validPeriodDays: 30 } })).toMatchObject({
      status: 422, body: { code: 'sign_in_experiences.password_expiration_requires_forgot_password' },
    });
    expect(await api.patch('/api/sign-in-exp', { passwordExpiration: { enabled: true, validPeriodDays: 0 } })).toMatchObject({
      status: 422, body: { code: 'sign_in_experiences.password_expiration_invalid_period_days' },
    });
    expect(await api.patch('/api/sign-in-exp', { passwordExpiration: { enabled: 'yes' } })).toMatchObject({ status: 400, body: { field: 'passwordExpiration.enabled' } });
    expect((await api.get('/api/sign-in-exp')).body.passwordExpiration).toEqual({ enabled: false });
  });

  it("PATCH /users/:id/password/expiration: 400 password_expiration_not_enabled for isExpired: true; false answers the user; 404 unknown", async () => {
    const { body: user } = await api.post('/api/users', { username: 'expiring', password: 'a-long-enough-password-1' });
    expect(await api.patch(`/api/users/${user.id}/password/expiration`, { isExpired: true })).toMatchObject({
      status: 400, body: { code: 'sign_in_experiences.password_expiration_not_enabled' },
    });
    expect(await api.patch(`/api/users/${user.id}/password/expiration`, { isExpired: false })).toMatchObject({ status: 200, body: { id: user.id, hasPassword: true } });
    expect(await api.patch(`/api/users/${user.id}/password/expiration`, {})).toMatchObject({ status: 400, body: { field: 'isExpired' } });
    expect(await api.patch('/api/users/nobody-here/password/expiration', { isExpired: true })).toMatchObject({ status: 404, body: { code: 'entity.not_found' } });
    // Nothing changed: the password still verifies.
    expect((await api.post(`/api/users/${user.id}/password/verify`, { password: 'a-long-enough-password-1' })).status).toBe(204);
  });
});
