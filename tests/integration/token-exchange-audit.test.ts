// Token exchange under contention and on the record: one winner among concurrent exchanges of one
// subject token, audit entries naming app/actor/user/scopes/resource, the `User.Impersonated` event in
// the webhook outbox, and no subject token value anywhere in the audit log or webhook payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../helpers/db.ts';
import { startSigil, type Sigil } from '../helpers/sigil.ts';
import { ACCESS_TOKEN, buildWorld, type World } from './token-exchange.setup.ts';

let sigil: Sigil;
let w: World;
let db: ReturnType<typeof openDb>;
const presented: string[] = [];

beforeAll(async () => {
  // No dispatcher: the outbox rows stay put for inspection.
  sigil = await startSigil({ env: { SIGIL_WEBHOOK_DISPATCHER: 'false' } });
  w = await buildWorld(sigil);
  db = openDb(sigil.databaseUrl);
  await db.hook.create({
    data: { id: 'impersonation-hook', name: 'Impersonation watch', events: ['User.Impersonated'], url: 'https://hooks.example/impersonation', headers: {}, signingKey: 'unused-while-dispatcher-is-off' },
  });
});
afterAll(async () => {
  await db?.$disconnect();
  await sigil?.stop();
});

async function subjectToken(userId: string) {
  const token = await w.subjectToken(userId);
  presented.push(token);
  return token;
}

describe('single use under concurrency', () => {
  it('twenty parallel exchanges of one subject token: exactly one 200, nineteen invalid_grant', async () => {
    const erin = await w.makeUser('erin');
    const subject_token = await subjectToken(erin.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => w.exchange({ subject_token, scope: 'read:tickets' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'subject token has already been used' } });
    }

    const row = await db.subjectToken.findFirstOrThrow({ where: { userId: erin.id } });
    expect(row.consumedAt).not.toBeNull();
    const impersonated = await db.auditLog.findMany({ where: { key: 'User.Impersonated', userId: erin.id } });
    expect(impersonated).toHaveLength(1);
    const requests = await db.auditLog.findMany({ where: { key: 'ExchangeTokenBy.TokenExchange', userId: erin.id } });
    expect(requests).toHaveLength(20);
    expect(requests.filter((r) => r.result === 'Success')).toHaveLength(1);
    const deliveries = await db.hookDelivery.findMany({ where: { event: 'User.Impersonated' } });
    expect(deliveries.filter((d) => (d.payload as { data: { userId: string } }).data.userId === erin.id)).toHaveLength(1);
  });

  it('holds for repeated rounds (no lucky timing)', async () => {
    const frank = await w.makeUser('frank');
    for (let round = 0; round < 5; round++) {
      const subject_token = await subjectToken(frank.id);
      const results = await Promise.all(Array.from({ length: 20 }, () => w.exchange({ subject_token })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    }
    expect(await db.auditLog.count({ where: { key: 'User.Impersonated', userId: frank.id } })).toBe(5);
  });
});

describe('audit trail', () => {
  it('records the acting app, the actor, the user, the scopes and the resource', async () => {
    const subject_token = await subjectToken(w.alice.id);
    const actor = await w.robotToken(w.crm.indicator);
    const r = await w.exchange({ subject_token, actor_token: actor, actor_token_type: ACCESS_TOKEN, scope: 'read:tickets delete:tickets' });
    expect(r.status).toBe(200);
    const row = await db.subjectToken.findFirstOrThrow({ where: { userId: w.alice.id, consumedAt: { not: null } }, orderBy: { consumedAt: 'desc' } });

    const request = await db.auditLog.findFirstOrThrow({ where: { key: 'ExchangeTokenBy.TokenExchange', result: 'Success', userId: w.alice.id }, orderBy: { createdAt: 'desc' } });
    expect(request.applicationId).toBe(w.support.id);
    expect(request.payload).toMatchObject({
      key: 'ExchangeTokenBy.TokenExchange',
      result: 'Success',
      applicationId: w.support.id,
      userId: w.alice.id,
      act: { sub: w.robot.id },
      scope: 'read:tickets',
      resource: w.crm.indicator,
      impersonationId: row.id,
    });

    const event = await db.auditLog.findFirstOrThrow({ where: { key: 'User.Impersonated', userId: w.alice.id }, orderBy: { createdAt: 'desc' } });
    expect(event.applicationId).toBe(w.support.id);
    expect(event.payload).toMatchObject({
      actor: { type: 'application', id: w.support.id },
      entity: 'User',
      entityId: w.alice.id,
      after: { userId: w.alice.id, applicationId: w.support.id, impersonationId: row.id, act: { sub: w.robot.id }, resource: w.crm.indicator, scope: 'read:tickets' },
    });

    const delivery = (await db.hookDelivery.findMany({ where: { event: 'User.Impersonated' } }))
      .find((d) => (d.payload as { data: { impersonationId: string } }).data.impersonationId === row.id)!;
    expect(delivery.payload).toMatchObject({
      hookId: 'impersonation-hook',
      event: 'User.Impersonated',
      data: { userId: w.alice.id, applicationId: w.support.id, act: { sub: w.robot.id }, scope: 'read:tickets', resource: w.crm.indicator },
    });
  });

  it('records refusals with the user when known, and an app without the switch', async () => {
    const subject_token = await subjectToken(w.alice.id);
    expect((await w.exchange({ subject_token }, w.plain)).status).toBe(400);
    const refused = await db.auditLog.findFirstOrThrow({ where: { key: 'ExchangeTokenBy.TokenExchange', applicationId: w.plain.id } });
    expect(refused.payload).toMatchObject({ result: 'Error', error: { code: 'unauthorized_client' } });

    expect((await w.exchange({ subject_token })).status).toBe(200);
    expect((await w.exchange({ subject_token })).status).toBe(400);
    const reuse = await db.auditLog.findFirstOrThrow({ where: { key: 'ExchangeTokenBy.TokenExchange', result: 'Error', userId: w.alice.id }, orderBy: { createdAt: 'desc' } });
    expect(reuse.payload).toMatchObject({ error: { code: 'invalid_grant', description: 'subject token has already been used' }, applicationId: w.support.id });
  });

  it('never stores a subject token value in the audit log or a webhook payload', async () => {
    expect(presented.length).toBeGreaterThan(5);
    const everything = JSON.stringify([await db.auditLog.findMany(), await db.hookDelivery.findMany()]);
    for (const token of presented) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(4));
    }
  });
});
