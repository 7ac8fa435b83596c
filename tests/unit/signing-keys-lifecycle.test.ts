// The signing-key lifecycle as pure functions: statuses by time, rotation and deletion plans, Logto's rules.
import { describe, expect, it } from 'vitest';
import {
  planDeletion, planRotation, resolveKeys, type KeyChange, type KeyState,
} from '../../server/services/signing-keys/lifecycle.ts';
import { DomainError } from '../../server/services/errors.ts';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const key = (id: string, storedStatus: KeyState['storedStatus'], effectiveAt: Date, retiredAt: Date | null = null): KeyState => ({ id, storedStatus, effectiveAt, retiredAt });

/** What the service does with a plan: the stored rows after it. */
function applyPlan(rows: KeyState[], plan: KeyChange): KeyState[] {
  const out = rows
    .filter((r) => !plan.remove.includes(r.id))
    .map((r) => {
      const u = plan.update.find((x) => x.id === r.id);
      return u ? { ...r, storedStatus: u.status, retiredAt: u.retiredAt } : r;
    });
  if (plan.insert) out.push(key(plan.insert.id, plan.insert.status, plan.insert.effectiveAt));
  return out;
}

const statuses = (rows: KeyState[], now: Date) => resolveKeys(rows, now).keys.map((k) => `${k.id}:${k.status}`);

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('resolveKeys (statuses by time)', () => {
  it('a single key is Current', () => {
    expect(statuses([key('a', 'Current', at(-10))], at(0))).toEqual(['a:Current']);
  });

  it('a staged key is Next until its effectiveAt, then Current; the old Current becomes Previous at that instant', () => {
    const rows = [key('a', 'Current', at(-10)), key('b', 'Next', at(60))];
    expect(statuses(rows, at(59.999))).toEqual(['b:Next', 'a:Current']);
    expect(statuses(rows, at(60))).toEqual(['b:Current', 'a:Previous']);
    expect(resolveKeys(rows, at(61)).keys[1]!.retiredAt).toEqual(at(60));
  });

  it('at promotion the older Previous is dropped (at most one Previous, as Logto)', () => {
    const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10)), key('b', 'Next', at(60))];
    expect(statuses(rows, at(0))).toEqual(['b:Next', 'a:Current', 'p:Previous']);
    const later = resolveKeys(rows, at(60));
    expect(later.keys.map((k) => `${k.id}:${k.status}`)).toEqual(['b:Current', 'a:Previous']);
    expect(later.dropped.map((k) => k.id)).toEqual(['p']);
  });

  it('with a clock behind the writer (new Current not yet started here), the earliest live key still signs', () => {
    const rows = [key('old', 'Previous', at(-50), at(0.05)), key('new', 'Current', at(0.05))];
    expect(statuses(rows, at(0))).toEqual(['new:Current', 'old:Previous']);
  });
});

describe('planRotation', () => {
  it('no grace: the new key is Current now, the old Current is Previous, an older Previous is dropped (Logto)', () => {
    const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10))];
    const plan = planRotation(rows, at(0), { newKeyId: 'n', rotationGracePeriod: 0 });
    expect(plan.insert).toEqual({ id: 'n', status: 'Current', effectiveAt: at(0) });
    expect(plan.remove).toEqual(['p']);
    expect(plan.update).toEqual([{ id: 'a', status: 'Previous', retiredAt: at(0) }]);
    expect(plan.state.map((k) => `${k.id}:${k.status}`)).toEqual(['n:Current', 'a:Previous']);
    expect(statuses(applyPlan(rows, plan), at(0))).toEqual(['n:Current', 'a:Previous']);
  });

  it('grace: the new key is Next effective at now + grace; Current and Previous stay; nothing signs differently before', () => {
    const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10))];
    const plan = planRotation(rows, at(0), { newKeyId: 'n', rotationGracePeriod: 3600 });
    expect(plan.insert).toEqual({ id: 'n', status: 'Next', effectiveAt: at(3600) });
    expect(plan.remove).toEqual([]);
    expect(plan.update).toEqual([]);
    const after = applyPlan(rows, plan);
    expect(statuses(after, at(3599))).toEqual(['n:Next', 'a:Current', 'p:Previous']);
    expect(statuses(after, at(3600))).toEqual(['n:Current', 'a:Previous']);
  });

  it('no grace while a Next key is pending: 422 oidc.invalid_request (Logto), naming rotationGracePeriod', () => {
    const rows = [key('a', 'Current', at(-10)), key('b', 'Next', at(60))];
    const error = domainError(() => planRotation(rows, at(0), { newKeyId: 'n', rotationGracePeriod: 0 }));
    expect([error.kind, error.code, error.field]).toEqual(['unprocessable', 'oidc.invalid_request', 'rotationGracePeriod']);
  });

  it('grace while a Next key is pending: the pending key (which never signed) is replaced', () => {
    const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10)), key('b', 'Next', at(60))];
    const plan = planRotation(rows, at(0), { newKeyId: 'n', rotationGracePeriod: 5 });
    expect(plan.remove).toEqual(['b']);
    expect(plan.state.map((k) => `${k.id}:${k.status}`)).toEqual(['n:Next', 'a:Current', 'p:Previous']);
  });

  it('after a promotion by time, the next rotation writes the resolved statuses back and deletes the dropped key', () => {
    const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10)), key('b', 'Next', at(60))];
    const plan = planRotation(rows, at(100), { newKeyId: 'n', rotationGracePeriod: 10 });
    expect(plan.remove).toEqual(['p']);
    expect(plan.update).toEqual([
      { id: 'a', status: 'Previous', retiredAt: at(60) },
      { id: 'b', status: 'Current', retiredAt: null },
    ]);
    const after = applyPlan(rows, plan);
    expect(after).toHaveLength(3);
    expect(statuses(after, at(100))).toEqual(['n:Next', 'b:Current', 'a:Previous']);
  });
});

describe('planDeletion', () => {
  const rows = [key('p', 'Previous', at(-100), at(-10)), key('a', 'Current', at(-10)), key('b', 'Next', at(60))];

  it('deletes a Previous key', () => {
    const plan = planDeletion(rows, at(0), 'p');
    expect(plan.remove).toEqual(['p']);
    expect(plan.state.map((k) => `${k.id}:${k.status}`)).toEqual(['b:Next', 'a:Current']);
  });

  it('refuses Current and Next keys: 422 oidc.only_previous_key_can_be_deleted', () => {
    for (const id of ['a', 'b']) {
      const error = domainError(() => planDeletion(rows, at(0), id));
      expect([error.kind, error.code]).toEqual(['unprocessable', 'oidc.only_previous_key_can_be_deleted']);
    }
  });

  it('a key that is Previous by time can be deleted; one dropped at promotion is gone already (404)', () => {
    expect(planDeletion(rows, at(60), 'a').remove.sort()).toEqual(['a', 'p']);
    const error = domainError(() => planDeletion(rows, at(60), 'p'));
    expect([error.kind, error.code]).toEqual(['not_found', 'oidc.key_not_found']);
  });

  it('unknown key: 404 oidc.key_not_found; the last key: 422 oidc.key_required (checked first, as Logto)', () => {
    const unknown = domainError(() => planDeletion(rows, at(0), 'zzz'));
    expect([unknown.kind, unknown.code]).toEqual(['not_found', 'oidc.key_not_found']);
    const last = domainError(() => planDeletion([key('a', 'Current', at(-10))], at(0), 'zzz'));
    expect([last.kind, last.code]).toEqual(['unprocessable', 'oidc.key_required']);
  });
});

describe('invariants over random operation sequences', () => {
  it('always exactly one Current, at most one Next and one Previous, at most three stored keys; some key always signs', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 200; run++) {
      let rows: KeyState[] = [key('k0', 'Current', at(0))];
      let now = 0;
      for (let step = 0; step < 30; step++) {
        now += Math.floor(rand() * 100);
        const r = rand();
        const id = `k${run}-${step}`;
        try {
          if (r < 0.6) rows = applyPlan(rows, planRotation(rows, at(now), { newKeyId: id, rotationGracePeriod: r < 0.3 ? 0 : Math.floor(rand() * 200) + 1 }));
          else {
            const victim = resolveKeys(rows, at(now)).keys[Math.floor(rand() * 3)]?.id ?? 'none';
            rows = applyPlan(rows, planDeletion(rows, at(now), victim));
          }
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
        expect(rows.length).toBeLessThanOrEqual(3);
        for (const probe of [now, now + 1, now + 50, now + 500]) {
          const view = resolveKeys(rows, at(probe)).keys;
          const count = (s: string) => view.filter((k) => k.status === s).length;
          expect([count('Current'), count('Next') <= 1, count('Previous') <= 1]).toEqual([1, true, true]);
        }
      }
    }
  });
});
