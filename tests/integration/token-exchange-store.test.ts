// The subject token store in-process against a fresh migrated database: what the lookup reports, that
// consumption is conditional (second consume loses), and that pruning removes only long-expired rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDeploy } from '../../server/db/migrate.ts';
import { freshDatabase } from '../helpers/sigil.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sigil-subject-'));
let drop: () => Promise<void> = async () => undefined;
let svc: typeof import('../../server/services/subject-tokens.ts');
let db: typeof import('../../server/db/index.ts').db;
let userId: string;

beforeAll(async () => {
  const database = await freshDatabase(dataDir);
  drop = database.drop;
  await migrateDeploy(database.url);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    SIGIL_DATA_DIR: dataDir,
    SIGIL_SECRET: 'test-secret-0123456789-0123456789-0123456789',
    SIGIL_PUBLIC_URL: 'http://127.0.0.1:1',
    SIGIL_LOG_LEVEL: 'silent',
  });
  svc = await import('../../server/services/subject-tokens.ts');
  ({ db } = await import('../../server/db/index.ts'));
  const { createUser } = await import('../../server/services/users.ts');
  const { SYSTEM } = await import('../../server/services/actor.ts');
  userId = (await createUser(SYSTEM, { username: 'store_user' })).id;
});
afterAll(async () => {
  await db?.().$disconnect();
  await drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('subject token store', () => {
  it('looks tokens up without consuming them, and consumes exactly once', async () => {
    const issued = await svc.issueSubjectToken({ type: 'system', id: 'system' }, { userId });
    const first = await svc.lookupSubjectToken(issued.subjectToken);
    expect(first).toMatchObject({ ok: true, token: { id: issued.id, userId, requestedBy: null, context: {} } });
    expect(await svc.lookupSubjectToken(issued.subjectToken)).toMatchObject({ ok: true });
    const hash = (first as { tokenHash: string }).tokenHash;
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => db().$transaction((tx) => svc.consumeSubjectToken(tx, hash))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await svc.lookupSubjectToken(issued.subjectToken)).toEqual({ ok: false, reason: 'consumed', userId });
  });

  it('reports unknown, malformed and expired tokens; an expired one cannot be consumed', async () => {
    expect(await svc.lookupSubjectToken(`sub_${'x'.repeat(43)}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await svc.lookupSubjectToken('sub_short')).toEqual({ ok: false, reason: 'unknown' });
    expect(await svc.lookupSubjectToken('')).toEqual({ ok: false, reason: 'unknown' });
    const issued = await svc.issueSubjectToken({ type: 'system', id: 'system' }, { userId }, Date.now() - 601_000);
    expect(await svc.lookupSubjectToken(issued.subjectToken)).toEqual({ ok: false, reason: 'expired', userId });
    const row = await db().subjectToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(await db().$transaction((tx) => svc.consumeSubjectToken(tx, row.tokenHash))).toBe(false);
  });

  it('prunes rows a day past expiry, and nothing younger', async () => {
    const now = Date.now();
    const old = await svc.issueSubjectToken({ type: 'system', id: 'system' }, { userId }, now - 2 * 86_400_000);
    const recent = await svc.issueSubjectToken({ type: 'system', id: 'system' }, { userId }, now - 3_600_000);
    const live = await svc.issueSubjectToken({ type: 'system', id: 'system' }, { userId }, now);
    expect(await svc.pruneSubjectTokens(now)).toBe(1);
    const left = (await db().subjectToken.findMany({ select: { id: true } })).map((r) => r.id);
    expect(left).not.toContain(old.id);
    expect(left).toEqual(expect.arrayContaining([recent.id, live.id]));
  });
});
