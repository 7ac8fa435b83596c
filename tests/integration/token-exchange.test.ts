// User impersonation over HTTP: POST /api/subject-tokens, then RFC 8693 token exchange at /oidc/token,
// driven by client libraries nobody here wrote (oauth4webapi, openid-client) and checked with jose.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { managementClient, startSigil, tokenRequest, type Sigil } from '../helpers/sigil.ts';
import { ACCESS_TOKEN, TOKEN_EXCHANGE, buildWorld, type World } from './token-exchange.setup.ts';

let sigil: Sigil;
let w: World;
const insecure = { [oauth.allowInsecureRequests]: true } as const;

beforeAll(async () => {
  sigil = await startSigil();
  w = await buildWorld(sigil);
});
afterAll(async () => sigil?.stop());

const verify = async (jwt: string, audience: string) => {
  const jwks = createRemoteJWKSet(new URL(`${sigil.url}/oidc/jwks`));
  return (await jwtVerify(jwt, jwks, { issuer: `${sigil.url}/oidc`, audience, typ: 'at+jwt' })).payload;
};

describe('POST /api/subject-tokens', () => {
  it('issues a single-use sub_ token with 256 random bits, stored only as a keyed hash', async () => {
    const r = await w.api.post('/api/subject-tokens', { userId: w.alice.id, context: { ticket: 'T-1042' } });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['expiresIn', 'subjectToken']);
    expect(r.body.expiresIn).toBe(600);
    expect(r.body.subjectToken).toMatch(/^sub_[\w-]{43}$/);
    expect(r.headers.get('cache-control')).toBe('no-store');

    const db = openDb(sigil.databaseUrl);
    try {
      const rows = await db.subjectToken.findMany({ where: { userId: w.alice.id } });
      const row = rows.find((x) => (x.context as { ticket?: string }).ticket === 'T-1042')!;
      expect(row.tokenHash).not.toContain(r.body.subjectToken.slice(4));
      expect(row.requestedBy).toBe('bootstrap-admin');
      expect(row.consumedAt).toBeNull();
      const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
      expect(ttl).toBeGreaterThan(599_000);
      expect(ttl).toBeLessThan(601_000);
      const event = await db.auditLog.findFirst({ where: { key: 'User.SubjectToken.Created', userId: w.alice.id } });
      expect(event).toMatchObject({ result: 'Success', applicationId: 'bootstrap-admin' });
      expect(event!.payload).toMatchObject({ actor: { type: 'application', id: 'bootstrap-admin' }, entity: 'SubjectToken', entityId: row.id });
      expect(JSON.stringify(await db.auditLog.findMany())).not.toContain(r.body.subjectToken);
    } finally {
      await db.$disconnect();
    }
  });

  it('answers 404 for an unknown user and 422 user.suspended for a suspended one', async () => {
    expect(await w.api.post('/api/subject-tokens', { userId: 'nobody' })).toMatchObject({
      status: 404, body: { code: 'entity.not_exists_with_id', message: 'The user with id `nobody` does not exist.' },
    });
    const bob = await w.makeUser('bob');
    expect((await w.api.patch(`/api/users/${bob.id}/is-suspended`, { isSuspended: true })).status).toBe(200);
    expect(await w.api.post('/api/subject-tokens', { userId: bob.id })).toMatchObject({
      status: 422, body: { code: 'user.suspended', field: 'userId' },
    });
  });

  it('validates the body, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'userId'],
      [{ userId: '' }, 'userId'],
      [{ userId: w.alice.id, context: 'text' }, 'context'],
      [{ userId: w.alice.id, context: [1, 2] }, 'context'],
      [{ userId: w.alice.id, context: { blob: 'x'.repeat(8 * 1024) } }, 'context'],
      [{ userId: w.alice.id, extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const r = await w.api.post('/api/subject-tokens', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body).toMatchObject({ code: 'guard.invalid_input', field });
    }
    // 8 KB of context is fine.
    const r = await w.api.post('/api/subject-tokens', { userId: w.alice.id, context: { blob: 'x'.repeat(8 * 1024 - 20) } });
    expect(r.status).toBe(201);
  });

  it('needs create:subject-tokens (or all)', async () => {
    const scopes = await w.api.get('/api/resources/management-api/scopes?page_size=100');
    const scopeId = (name: string) => scopes.body.find((s: { name: string }) => s.name === name).id as string;
    const makeCaller = async (scope: string) => {
      const role = await w.api.post('/api/roles', { name: `mgmt-${scope}-${Date.now()}`, description: '', type: 'MachineToMachine', scopeIds: [scopeId(scope)] });
      const app = await w.makeApp(`caller ${scope}`, 'MachineToMachine');
      await w.api.post(`/api/applications/${app.id}/roles`, { roleIds: [role.body.id] });
      return managementClient(sigil, scope, app);
    };
    const issuer = await makeCaller('create:subject-tokens');
    const created = await issuer.post('/api/subject-tokens', { userId: w.alice.id });
    expect(created.status).toBe(201);
    const reader = await makeCaller('read:users');
    expect(await reader.post('/api/subject-tokens', { userId: w.alice.id })).toMatchObject({
      status: 403, body: { code: 'auth.forbidden', message: 'The access token lacks the `create:subject-tokens` scope.' },
    });
  });
});

describe('token exchange through client libraries', () => {
  it('oauth4webapi genericTokenEndpointRequest: sub = user, client_id = app, RBAC ∩ requested scopes, issued_token_type', async () => {
    const issuer = new URL(`${sigil.url}/oidc`);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    expect(as.grant_types_supported).toContain(TOKEN_EXCHANGE);
    const c: oauth.Client = { client_id: w.support.id };
    const subjectToken = await w.subjectToken();
    const response = await oauth.genericTokenEndpointRequest(as, c, oauth.ClientSecretBasic(w.support.secret), TOKEN_EXCHANGE, {
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN,
      resource: w.crm.indicator,
      scope: 'read:tickets delete:tickets write:tickets',
    }, insecure);
    const result = await oauth.processGenericTokenEndpointResponse(as, c, response);
    expect(result).toMatchObject({
      token_type: 'bearer',
      issued_token_type: ACCESS_TOKEN,
      expires_in: 3600,
      scope: 'read:tickets write:tickets', // delete:tickets is not granted by the user's roles
    });
    const claims = await verify(result.access_token, w.crm.indicator);
    expect(claims).toMatchObject({ sub: w.alice.id, client_id: w.support.id, aud: w.crm.indicator, scope: 'read:tickets write:tickets' });
    expect(claims.act).toBeUndefined();

    // A resource server validating it as RFC 9068 requires.
    const request = new Request('https://crm.example/tickets', { headers: { authorization: `Bearer ${result.access_token}` } });
    expect(await oauth.validateJwtAccessToken(as, request, w.crm.indicator, insecure)).toMatchObject({ sub: w.alice.id });
  });

  it('openid-client genericGrantRequest with an actor token adds act: { sub } of the actor', async () => {
    const config = await client.discovery(new URL(`${sigil.url}/oidc`), w.support.id, undefined, client.ClientSecretPost(w.support.secret), {
      execute: [client.allowInsecureRequests],
    });
    const actorToken = await w.robotToken(w.crm.indicator);
    const tokens = await client.genericGrantRequest(config, TOKEN_EXCHANGE, {
      subject_token: await w.subjectToken(),
      subject_token_type: ACCESS_TOKEN,
      actor_token: actorToken,
      actor_token_type: ACCESS_TOKEN,
      resource: w.crm.indicator,
      scope: 'read:tickets',
    });
    expect(tokens.issued_token_type).toBe(ACCESS_TOKEN);
    const claims = await verify(tokens.access_token, w.crm.indicator);
    expect(claims).toMatchObject({ sub: w.alice.id, client_id: w.support.id, scope: 'read:tickets', act: { sub: w.robot.id } });
  });

  it('nests the actor token\'s own act (RFC 8693 §4.1 delegation chain)', async () => {
    const first = await w.exchange({ subject_token: await w.subjectToken(), actor_token: await w.robotToken(w.crm.indicator), actor_token_type: ACCESS_TOKEN });
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.access_token).act).toEqual({ sub: w.robot.id });
    const carol = await w.makeUser('carol');
    const second = await w.exchange({ subject_token: await w.subjectToken(carol.id), actor_token: first.body.access_token, actor_token_type: ACCESS_TOKEN });
    expect(second.status).toBe(200);
    const claims = await verify(second.body.access_token, w.crm.indicator);
    expect(claims.sub).toBe(carol.id);
    expect(claims.act).toEqual({ sub: w.alice.id, act: { sub: w.robot.id } });
  });

  it('answers Logto\'s body plus issued_token_type; no scope when none is granted', async () => {
    const r = await w.exchange({ subject_token: await w.subjectToken() });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'issued_token_type', 'token_type']);
    expect(r.body).toMatchObject({ token_type: 'Bearer', issued_token_type: ACCESS_TOKEN, expires_in: 3600 });
    expect(decodeJwt(r.body.access_token).scope).toBeUndefined();
  });

  it('follows an opaque resource\'s token format; introspection shows the user, the app and act', async () => {
    const r = await w.exchange({
      subject_token: await w.subjectToken(), resource: w.opaqueCrm.indicator, scope: 'write:tickets',
      actor_token: await w.robotToken(w.crm.indicator), actor_token_type: ACCESS_TOKEN,
    });
    expect(r.status).toBe(200);
    expect(r.body.access_token).toMatch(/^[\w-]{43}$/);
    expect(r.body.scope).toBe('write:tickets');
    const introspection = await tokenRequestIntrospect(r.body.access_token);
    expect(introspection).toMatchObject({
      active: true, sub: w.alice.id, client_id: w.support.id, aud: w.opaqueCrm.indicator, scope: 'write:tickets', act: { sub: w.robot.id },
    });
  });
});

async function tokenRequestIntrospect(token: string) {
  const res = await fetch(`${sigil.url}/oidc/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${w.support.id}:${w.support.secret}`).toString('base64')}` },
    body: new URLSearchParams({ token }).toString(),
  });
  return res.json();
}

describe('token exchange refusals', () => {
  const error = (error: string, error_description: string) => ({ status: error === 'invalid_client' ? 401 : 400, body: { error, error_description } });

  it('is single use: the second exchange of a token is invalid_grant', async () => {
    const subject_token = await w.subjectToken();
    expect((await w.exchange({ subject_token })).status).toBe(200);
    expect(await w.exchange({ subject_token })).toMatchObject(error('invalid_grant', 'subject token has already been used'));
  });

  it('refuses an expired token and an unknown one', async () => {
    const subject_token = await w.subjectToken(w.alice.id, { purpose: 'expiry' });
    const db = openDb(sigil.databaseUrl);
    try {
      const row = (await db.subjectToken.findMany({ where: { userId: w.alice.id, consumedAt: null } }))
        .find((x) => (x.context as { purpose?: string }).purpose === 'expiry')!;
      await db.subjectToken.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    } finally {
      await db.$disconnect();
    }
    expect(await w.exchange({ subject_token })).toMatchObject(error('invalid_grant', 'subject token has expired'));
    expect(await w.exchange({ subject_token: `sub_${'A'.repeat(43)}` })).toMatchObject(error('invalid_grant', 'subject token is invalid'));
    expect(await w.exchange({ subject_token: 'not-a-subject-token' })).toMatchObject(error('invalid_grant', 'subject token is invalid'));
  });

  it('checks the token types (RFC 8693 §2.1) with invalid_request', async () => {
    const subject_token = await w.subjectToken();
    const idToken = 'urn:ietf:params:oauth:token-type:id_token';
    expect(await w.exchange({ subject_token, subject_token_type: idToken })).toMatchObject(
      error('invalid_request', `subject_token_type ${idToken} is not supported; use ${ACCESS_TOKEN}`),
    );
    expect(await tokenRequest(sigil, { grant_type: TOKEN_EXCHANGE, subject_token, resource: w.crm.indicator }, w.support)).toMatchObject(
      error('invalid_request', 'subject_token_type is missing'),
    );
    expect(await w.exchange({})).toMatchObject(error('invalid_request', 'subject_token is missing'));
    expect(await w.exchange({ subject_token, actor_token: 'x' })).toMatchObject(error('invalid_request', 'actor_token_type is missing'));
    expect(await w.exchange({ subject_token, actor_token_type: ACCESS_TOKEN })).toMatchObject(error('invalid_request', 'actor_token_type was given without actor_token'));
    expect(await w.exchange({ subject_token, actor_token: 'x', actor_token_type: 'urn:ietf:params:oauth:token-type:jwt' })).toMatchObject(
      error('invalid_request', `actor_token_type urn:ietf:params:oauth:token-type:jwt is not supported; use ${ACCESS_TOKEN}`),
    );
    // None of these burned the subject token.
    expect((await w.exchange({ subject_token })).status).toBe(200);
  });

  it('refuses a bad or revoked actor token without burning the subject token', async () => {
    const subject_token = await w.subjectToken();
    expect(await w.exchange({ subject_token, actor_token: 'garbage', actor_token_type: ACCESS_TOKEN })).toMatchObject(
      error('invalid_grant', 'actor_token is not an active access token issued by this server'),
    );
    const actor = await w.robotToken(w.opaqueCrm.indicator);
    const revoke = await fetch(`${sigil.url}/oidc/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${w.robot.id}:${w.robot.secret}`).toString('base64')}` },
      body: new URLSearchParams({ token: actor }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect(await w.exchange({ subject_token, actor_token: actor, actor_token_type: ACCESS_TOKEN })).toMatchObject(
      error('invalid_grant', 'actor_token is not an active access token issued by this server'),
    );
    expect((await w.exchange({ subject_token })).status).toBe(200);
  });

  it('is only for apps with allowTokenExchange, never third-party ones: unauthorized_client', async () => {
    const subject_token = await w.subjectToken();
    const notEnabled = error('unauthorized_client', 'token exchange is not enabled for this application (customClientMetadata.allowTokenExchange)');
    expect(await w.exchange({ subject_token }, w.plain)).toMatchObject(notEnabled);
    expect(await w.exchange({ subject_token }, w.switchedOff)).toMatchObject(notEnabled);
    expect(await w.exchange({ subject_token }, { id: w.support.id, secret: 'wrong' })).toMatchObject(error('invalid_client', 'client authentication failed'));

    // A third-party app cannot turn the switch on, and one that has it is refused anyway.
    const partner = await w.makeApp('Partner', 'Traditional');
    const db = openDb(sigil.databaseUrl);
    try {
      await db.application.update({ where: { id: partner.id }, data: { isThirdParty: true } });
      expect(await w.api.patch(`/api/applications/${partner.id}`, { customClientMetadata: { allowTokenExchange: true } })).toMatchObject({
        status: 422, body: { code: 'application.third_party_token_exchange' },
      });
      await db.application.update({ where: { id: partner.id }, data: { customClientMetadata: { allowTokenExchange: true } } });
    } finally {
      await db.$disconnect();
    }
    expect(await w.exchange({ subject_token }, partner)).toMatchObject(error('unauthorized_client', 'third-party applications cannot use token exchange'));
    expect((await w.exchange({ subject_token })).status).toBe(200);
  });

  it('refuses a suspended user: tokens are dropped at suspension, and a stray one is refused', async () => {
    const dave = await w.makeUser('dave');
    const dropped = await w.subjectToken(dave.id);
    expect((await w.api.patch(`/api/users/${dave.id}/is-suspended`, { isSuspended: true })).status).toBe(200);
    expect(await w.exchange({ subject_token: dropped })).toMatchObject(error('invalid_grant', 'subject token is invalid'));

    // A token that outlived the suspension (written behind the service's back) still cannot be used.
    const db = openDb(sigil.databaseUrl);
    try {
      await db.user.update({ where: { id: dave.id }, data: { isSuspended: false } });
      const again = await w.subjectToken(dave.id);
      await db.user.update({ where: { id: dave.id }, data: { isSuspended: true } });
      expect(await w.exchange({ subject_token: again })).toMatchObject(error('invalid_grant', 'the subject token user is suspended'));
    } finally {
      await db.$disconnect();
    }
  });

  it('keeps RFC 8707 semantics and never reaches the Management API', async () => {
    const subject_token = await w.subjectToken();
    expect(await w.exchange({ subject_token, resource: 'https://unknown.example/api' })).toMatchObject(error('invalid_target', 'resource indicator is missing, or unknown'));
    expect(await w.exchange({ subject_token, resource: `${sigil.url}/api`, scope: 'all' })).toMatchObject(
      error('invalid_target', 'the Management API cannot be accessed by token exchange'),
    );
    expect((await w.exchange({ subject_token })).status).toBe(200);
  });
});
