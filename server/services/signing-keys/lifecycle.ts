// The signing-key lifecycle Next -> Current -> Previous as pure functions over key states (after Logto's
// `oidc-private-key.ts`); the caller runs them inside a locked transaction and applies the plan.
//
// Statuses are resolved BY TIME, so a staged key starts signing in every process at its effectiveAt
// without a writer, a cron job or a reload: among keys not stored as Previous, the one with the latest
// effectiveAt <= now is Current, later ones are Next, earlier ones have been demoted to Previous.
// Like Logto, the resolved set holds exactly one Current and at most one Next and one Previous: when a
// Next key takes over, the key that was Previous before is dropped at that moment (no longer published
// nor accepted) and its row is deleted by the next rotation or deletion, which also writes the resolved
// statuses back.
import { DomainError, unprocessable } from '../errors.ts';
import type { SigningKeyStatus } from '../../schemas/signing-keys.ts';

export type KeyStatus = SigningKeyStatus;

/** What the lifecycle needs to know about a stored key. */
export type KeyState = {
  id: string;
  /** The status last written; may lag behind time (a stored Next whose effectiveAt has passed signs). */
  storedStatus: KeyStatus;
  effectiveAt: Date;
  retiredAt: Date | null;
};

export type ResolvedKey<K extends KeyState = KeyState> = K & { status: KeyStatus; retiredAt: Date | null };

export type KeySetView<K extends KeyState = KeyState> = {
  /** Next, Current, Previous (Logto's canonical order). */
  keys: Array<ResolvedKey<K>>;
  /** Keys past Previous: no longer published; deleted by the next write. */
  dropped: K[];
};

const ORDER: Record<KeyStatus, number> = { Next: 0, Current: 1, Previous: 2 };

export function resolveKeys<K extends KeyState>(keys: readonly K[], now: Date): KeySetView<K> {
  const t = now.getTime();
  const live = keys.filter((k) => k.storedStatus !== 'Previous');
  const started = live.filter((k) => k.effectiveAt.getTime() <= t);
  const latest = (a: K | undefined, k: K) => (!a || k.effectiveAt.getTime() > a.effectiveAt.getTime() ? k : a);
  // No started key only happens when this process's clock is behind the writer's (a key made Current
  // "now" elsewhere): the earliest live key signs rather than none.
  const current =
    started.reduce<K | undefined>(latest, undefined) ??
    [...live].sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime())[0];

  const resolved: Array<ResolvedKey<K>> = [];
  const previous: Array<ResolvedKey<K>> = [];
  for (const k of keys) {
    if (k === current) resolved.push({ ...k, status: 'Current', retiredAt: null });
    else if (k.storedStatus !== 'Previous' && k.effectiveAt.getTime() > t) resolved.push({ ...k, status: 'Next', retiredAt: null });
    else if (k.storedStatus !== 'Previous') {
      // Demoted by time: it stopped signing when the key after it started.
      const successor = started
        .filter((s) => s.effectiveAt.getTime() > k.effectiveAt.getTime())
        .reduce((a, s) => (s.effectiveAt.getTime() < a.getTime() ? s.effectiveAt : a), current!.effectiveAt);
      previous.push({ ...k, status: 'Previous', retiredAt: successor });
    } else previous.push({ ...k, status: 'Previous', retiredAt: k.retiredAt ?? k.effectiveAt });
  }
  previous.sort((a, b) => b.retiredAt!.getTime() - a.retiredAt!.getTime());
  const [kept, ...rest] = previous;
  if (kept) resolved.push(kept);
  resolved.sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const droppedIds = new Set(rest.map((k) => k.id));
  return { keys: resolved, dropped: keys.filter((k) => droppedIds.has(k.id)) };
}

/** A change to the key set: the state after it, and the writes that get there. */
export type KeyChange = {
  /** The key set after the change, Next, Current, Previous. */
  state: Array<ResolvedKey>;
  insert: { id: string; status: KeyStatus; effectiveAt: Date } | null;
  remove: string[];
  /** Stored status (and retiredAt) written back for keys whose stored values lag behind time. */
  update: Array<{ id: string; status: KeyStatus; retiredAt: Date | null }>;
};

function change(before: readonly KeyState[], state: Array<ResolvedKey>, insert: KeyChange['insert']): KeyChange {
  const kept = new Map(state.map((k) => [k.id, k]));
  return {
    state,
    insert,
    remove: before.filter((k) => !kept.has(k.id)).map((k) => k.id),
    update: before
      .filter((k) => kept.has(k.id))
      .map((k) => ({ k, s: kept.get(k.id)! }))
      .filter(({ k, s }) => k.storedStatus !== s.status || (k.retiredAt?.getTime() ?? null) !== (s.retiredAt?.getTime() ?? null))
      .map(({ s }) => ({ id: s.id, status: s.status, retiredAt: s.retiredAt })),
  };
}

export type RotationRequest = { newKeyId: string; rotationGracePeriod: number };

/**
 * Rotate. Grace 0 (Logto's immediate rotation): the new key is Current at once, the Current key becomes
 * Previous and the older Previous is dropped; refused (422 `oidc.invalid_request`) while a Next key is
 * pending, as Logto. Grace > 0 (staged): the new key is Next, effective at now + grace; Current and
 * Previous stay; a pending Next key is replaced (it never signed).
 */
export function planRotation(keys: readonly KeyState[], now: Date, request: RotationRequest): KeyChange {
  const view = resolveKeys(keys, now);
  const current = view.keys.find((k) => k.status === 'Current');
  if (!current) throw new Error('No Current signing key: start-up creates one; was the database initialised?');
  const next = view.keys.find((k) => k.status === 'Next');
  const previous = view.keys.find((k) => k.status === 'Previous');
  if (request.rotationGracePeriod === 0) {
    if (next) {
      throw unprocessable(
        'oidc.invalid_request',
        `A Next signing key is pending (it signs from ${next.effectiveAt.toISOString()}). Rotate with a rotationGracePeriod to replace it, or wait until it signs.`,
        'rotationGracePeriod',
      );
    }
    const fresh = { id: request.newKeyId, storedStatus: 'Current' as const, effectiveAt: now, retiredAt: null, status: 'Current' as const };
    return change(keys, [fresh, { ...current, status: 'Previous', retiredAt: now }], { id: fresh.id, status: 'Current', effectiveAt: now });
  }
  const effectiveAt = new Date(now.getTime() + request.rotationGracePeriod * 1000);
  const fresh = { id: request.newKeyId, storedStatus: 'Next' as const, effectiveAt, retiredAt: null, status: 'Next' as const };
  return change(keys, [fresh, current, ...(previous ? [previous] : [])], { id: fresh.id, status: 'Next', effectiveAt });
}

/** Delete a key: only a Previous key, and never the last key (Logto's rules and error codes). */
export function planDeletion(keys: readonly KeyState[], now: Date, keyId: string): KeyChange {
  const view = resolveKeys(keys, now);
  if (view.keys.length <= 1) throw unprocessable('oidc.key_required', 'At least one signing key is required.');
  const key = view.keys.find((k) => k.id === keyId);
  if (!key) throw new DomainError('not_found', 'oidc.key_not_found', `The signing key with id \`${keyId}\` does not exist.`);
  if (key.status !== 'Previous') {
    throw unprocessable('oidc.only_previous_key_can_be_deleted', `Only a Previous signing key can be deleted; \`${keyId}\` is ${key.status}.`);
  }
  return change(keys, view.keys.filter((k) => k.id !== keyId), null);
}
