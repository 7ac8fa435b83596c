// The audit write path's building blocks: time-ordered ids, the one-pass payload (same result as masking the
// whole record), and group commit (batches span the turns in which requests keep arriving).
import { describe, expect, it } from 'vitest';
import { auditPayload, type AuditEntry } from '../../server/services/audit/index.ts';
import { MASK, maskSecrets } from '../../server/services/audit/mask.ts';
import { timeOrderedId } from '../../server/services/crypto.ts';
import { GroupCommit } from '../../server/services/group-commit.ts';

describe('timeOrderedId', () => {
  it('has the shape of an id, sorts by time, and does not repeat', () => {
    const t = Date.UTC(2026, 0, 1);
    const ids = [t, t + 1, t + 1000, t + 86_400_000, Date.UTC(2100, 0, 1)].map((at) => timeOrderedId(at));
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{21}$/);
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 20_000 }, () => timeOrderedId(t)));
    expect(many.size).toBe(20_000);
  });
});

describe('auditPayload', () => {
  const reference = (entry: AuditEntry) =>
    Object.fromEntries(Object.entries(maskSecrets(entry) as Record<string, unknown>).filter(([, v]) => v !== undefined));

  it('is what masking the whole record gives, without undefined fields', () => {
    const entries: AuditEntry[] = [
      { key: 'ExchangeTokenBy.ClientCredentials', result: 'Success', applicationId: 'app', resource: 'https://api', scope: 'a b', ip: '127.0.0.1', userAgent: null, error: undefined },
      { key: 'ExchangeTokenBy.ClientCredentials', result: 'Error', applicationId: 'app', error: { code: 'invalid_client', description: 'client authentication failed' }, userAgent: 'ua\u0000x' },
      { key: 'X', result: 'Success', client_secret: 'hunter2', password: 42, token: null, isPrivate: false, tokenId: 'jti', at: new Date(0) },
      { key: 'Y', result: 'Success', customClaims: { durationMs: 0.1, nested: { accessToken: 't', list: [{ secret: 's' }, 'a\u0000'] } } },
    ];
    for (const entry of entries) expect(auditPayload(entry)).toEqual(reference(entry));
    expect(auditPayload(entries[2]!)).toMatchObject({ client_secret: MASK, password: MASK, token: null, isPrivate: false, tokenId: 'jti', at: '1970-01-01T00:00:00.000Z' });
    expect(auditPayload(entries[1]!)).toMatchObject({ userAgent: 'ua\uFFFDx' });
  });
});

const turn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes records that arrive over successive turns in one batch, and answers each after the write', async () => {
    const writes: number[][] = [];
    let written = false;
    const g = new GroupCommit<number>(async (items) => {
      writes.push(items);
      written = true;
    }, 500, 10_000);
    const done: Array<Promise<void>> = [g.add(1), g.add(2)];
    await turn();
    done.push(g.add(3)); // the first turn brought more: the batch keeps collecting
    await turn();
    done.push(g.add(4));
    expect(written).toBe(false);
    await Promise.all(done);
    expect(writes).toEqual([[1, 2, 3, 4]]);
    await g.add(5); // nothing else comes: written on its own after one extra turn
    expect(writes).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('caps a batch by size and by time, keeps order, and fails every record of a failed batch', async () => {
    const writes: number[][] = [];
    const g = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (items.includes(-1)) throw new Error('disk full');
    }, 3, 1);
    await Promise.all([1, 2, 3, 4, 5].map((n) => g.add(n)));
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);

    // A steady trickle (one record per turn) is still written within maxWaitMs.
    const started = performance.now();
    const trickle: Array<Promise<void>> = [];
    for (let i = 0; i < 200 && performance.now() - started < 20; i++) {
      trickle.push(g.add(100 + i));
      await turn();
    }
    await Promise.all(trickle);
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.slice(2).flat()).toEqual(trickle.map((_, i) => 100 + i));

    const failed = await Promise.allSettled([g.add(-1), g.add(7)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await g.add(8);
    expect(writes.at(-1)).toEqual([8]);
  });
});
