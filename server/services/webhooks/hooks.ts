// Webhooks as Logto's API has them: `{ name, events, config: { url, headers }, enabled }` plus the signing
// key. Hooks are configuration the token path reads (Token.* subscriptions), so changes run in
// `configChange`. Their own changes are audited but are not hook events (no webhook loops).
import { isIP } from 'node:net';
import { db, type Tx } from '../../db/index.ts';
import { env } from '../../env.ts';
import type { Page } from '../../schemas/common.ts';
import type { ExecutionStats } from '../../schemas/logs.ts';
import { headerProblem, isHttpUrl, type HookConfig, type HookCreate, type HookPatch, type HookResponse, type HookTestBody } from '../../schemas/hooks.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit/index.ts';
import { MASK } from '../audit/mask.ts';
import { randomId } from '../crypto.ts';
import { DomainError, invalidInput, notFound, unprocessable } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { hookExecutionStats } from '../logs.ts';
import { blockedReason } from '../outbound/index.ts';
import { configChange } from '../transaction.ts';
import { blockedHint, sendSigned } from './deliver.ts';
import { RESERVED_HEADERS } from './signature.ts';
import { newSigningKey, openSigningKey, sealSigningKey } from './signing-key.ts';

type HookRow = Awaited<ReturnType<Tx['hook']['findUniqueOrThrow']>>;

export async function toHookResponse(row: HookRow, stats?: ExecutionStats): Promise<HookResponse> {
  return {
    id: row.id,
    name: row.name,
    event: row.event,
    events: row.events as string[],
    signingKey: await openSigningKey(row.id, row.signingKey),
    enabled: row.enabled,
    config: { url: row.url, headers: (row.headers ?? {}) as Record<string, string>, ...(row.retries !== null ? { retries: row.retries } : {}) },
    createdAt: row.createdAt.getTime(),
    ...(stats ? { executionStats: stats } : {}),
  };
}

/** A URL without the password of its userinfo (`https://user:******@host/`). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = MASK;
    return u.toString();
  } catch {
    return url;
  }
}

/** What the audit log keeps: no signing key, header names but not their values (often credentials). */
function auditView(row: HookRow) {
  const headers = Object.fromEntries(Object.keys((row.headers ?? {}) as object).map((k) => [k, MASK]));
  return { id: row.id, name: row.name, event: row.event, events: row.events, enabled: row.enabled, config: { url: redactUrl(row.url), headers } };
}

/**
 * Refuse what can never be delivered, early and naming the field: reserved headers, and URLs whose host
 * is a literal private/loopback/metadata address while private outbound is off. Host names are checked
 * again after DNS resolution at every delivery (the name may change what it resolves to).
 */
export function checkConfig(config: HookConfig, field = 'config'): void {
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    const problem = headerProblem(name, value);
    // The name goes into the field as JSON would quote it: it may be the very thing that is malformed.
    if (problem) throw unprocessable('hook.invalid_header', `Header ${JSON.stringify(name)} ${problem}.`, `${field}.headers.${name}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalidInput(`${field}.headers.${name}`, 'is set by Sigil and cannot be overridden');
  }
  if (env().allowPrivateOutbound || !isHttpUrl(config.url)) return;
  const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const reason = blockedReason(host);
    if (reason) throw invalidInput(`${field}.url`, blockedHint(`requests to ${reason} address ${host} are not allowed`));
  }
}

/** Logto answers an unknown id with `entity.not_exists_with_id` on reads and `entity.not_exists` on updates. */
async function requireHook(tx: Tx, id: string, code: 'entity.not_exists_with_id' | 'entity.not_exists' = 'entity.not_exists_with_id'): Promise<HookRow> {
  const row = await tx.hook.findUnique({ where: { id } });
  if (!row) {
    const error = notFound('hook', id);
    throw code === error.code ? error : new DomainError('not_found', code, error.message);
  }
  return row;
}

export async function createHook(actor: Actor, input: HookCreate): Promise<HookResponse> {
  if (!input.events && !input.event) throw new DomainError('invalid_input', 'hook.missing_events', 'events: at least one event is required (or the deprecated `event`).', 'events');
  const events = input.events ?? [];
  checkConfig(input.config);
  const id = randomId();
  const sealed = await sealSigningKey(id, newSigningKey());
  const row = await configChange(async (tx) => {
    const created = await tx.hook.create({
      data: {
        id, name: input.name, events, event: input.event ?? null, url: input.config.url, headers: input.config.headers ?? {},
        retries: input.config.retries ?? null, enabled: input.enabled ?? true, signingKey: sealed,
      },
    });
    await emitDataEvent(tx, actor, { event: 'Hook.Created', entity: 'Hook', entityId: id, after: auditView(created) });
    return created;
  });
  return toHookResponse(row);
}

export async function listHooks(options: { page?: { page: number; page_size: number }; includeExecutionStats?: boolean }): Promise<Page<HookResponse>> {
  const page = options.page;
  const [total, rows] = await Promise.all([
    db().hook.count(),
    db().hook.findMany({
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      ...(page ? { skip: (page.page - 1) * page.page_size, take: page.page_size } : {}),
    }),
  ]);
  const stats = options.includeExecutionStats ? await hookExecutionStats(rows.map((r) => r.id)) : undefined;
  return { total, items: await Promise.all(rows.map((r) => toHookResponse(r, stats?.get(r.id)))) };
}

export async function getHook(id: string, options: { includeExecutionStats?: boolean } = {}): Promise<HookResponse> {
  const row = await requireHook(db() as unknown as Tx, id);
  const stats = options.includeExecutionStats ? (await hookExecutionStats([id])).get(id) : undefined;
  return toHookResponse(row, stats);
}

export async function updateHook(actor: Actor, id: string, patch: HookPatch): Promise<HookResponse> {
  if (patch.config) checkConfig(patch.config);
  const row = await configChange(async (tx) => {
    const before = await requireHook(tx, id, 'entity.not_exists');
    const updated = await tx.hook.update({
      where: { id },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.events ? { events: patch.events } : {}),
        ...(patch.event !== undefined ? { event: patch.event } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        // Logto replaces the whole config on PATCH.
        ...(patch.config ? { url: patch.config.url, headers: patch.config.headers ?? {}, retries: patch.config.retries ?? null } : {}),
      },
    });
    await emitDataEvent(tx, actor, { event: 'Hook.Data.Updated', entity: 'Hook', entityId: id, before: auditView(before), after: auditView(updated) });
    return updated;
  });
  return toHookResponse(row);
}

/** Deleting a hook deletes its pending deliveries with it (they have nowhere to go). */
export async function deleteHook(actor: Actor, id: string): Promise<void> {
  await configChange(async (tx) => {
    const before = await requireHook(tx, id);
    await tx.hook.delete({ where: { id } });
    await emitDataEvent(tx, actor, { event: 'Hook.Deleted', entity: 'Hook', entityId: id, before: auditView(before) });
  });
}

/** `PATCH /hooks/:id/signing-key`: a new key at once; deliveries sign with it from the next attempt. */
export async function regenerateSigningKey(actor: Actor, id: string): Promise<HookResponse> {
  const sealed = await sealSigningKey(id, newSigningKey());
  const row = await configChange(async (tx) => {
    await requireHook(tx, id, 'entity.not_exists');
    const updated = await tx.hook.update({ where: { id }, data: { signingKey: sealed } });
    await emitDataEvent(tx, actor, { event: 'Hook.SigningKey.Regenerated', entity: 'Hook', entityId: id, after: auditView(updated) });
    return updated;
  });
  return toHookResponse(row);
}

/** Logto's fake data-hook context, so a receiver's parser sees the real shape. */
function testPayload(hookId: string, event: string) {
  return {
    hookId,
    event,
    createdAt: new Date().toISOString(),
    userAgent: 'fake-user-agent',
    path: '/fake-path/:id',
    method: 'POST',
    status: 200,
    params: { id: 'fake-id' },
    data: { result: 'success' },
  };
}

/**
 * `POST /hooks/:id/test` (Logto): send a signed test payload per event to `config` (not necessarily the
 * saved one, so a URL can be tried before saving) and report each receiver answer. Nothing is queued or
 * retried; the attempt is audited (who sent what where) as `Hook.Tested`.
 */
export async function testHook(actor: Actor, id: string, input: HookTestBody) {
  const row = await requireHook(db() as unknown as Tx, id);
  checkConfig(input.config);
  const signingKey = await openSigningKey(row.id, row.signingKey);
  const results = await Promise.all(
    input.events.map(async (event) => {
      const sent = await sendSigned({ url: input.config.url, headers: input.config.headers ?? {}, signingKey, payload: testPayload(id, event), eventId: `test-${randomId()}`, attempt: 1 });
      const ok = sent.outcome.kind === 'response' && sent.outcome.status >= 200 && sent.outcome.status <= 299;
      return {
        event,
        result: ok ? ('Success' as const) : ('Error' as const),
        ...(sent.response ? { response: sent.response } : {}),
        ...(sent.outcome.kind !== 'response' ? { error: sent.outcome.message } : ok ? {} : { error: `The endpoint answered ${sent.response!.statusCode}.` }),
        durationMs: sent.durationMs,
      };
    }),
  );
  await audit({
    key: 'Hook.Tested',
    result: results.every((r) => r.result === 'Success') ? 'Success' : 'Error',
    actor: { type: actor.type, id: actor.id },
    entity: 'Hook',
    entityId: id,
    hookId: id,
    url: redactUrl(input.config.url),
    results: results.map((r) => ({ event: r.event, result: r.result, statusCode: r.response?.statusCode, error: r.error })),
    applicationId: actor.type === 'application' ? actor.id : undefined,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
  return { results };
}
