// The two claims scripts (one per token type), stored in JwtCustomizer and cached for the token path.
// Saving does not check the script (as Logto: drafts and scripts with syntax errors are kept; they fail at
// issuance like a throwing script, under blockIssuanceOnError); it writes it with its data event and the
// cache stamp in one transaction. Environment variable values are secrets:
// returned to administrators (as Logto does) but never put in audit records or webhook payloads.
// Reads add the script's circuit breaker state (breaker.ts) when it is tripped.
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/index.ts';
import type { JwtCustomizerPatch, JwtCustomizerPut, JwtCustomizerResponse, JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import { JWT_CUSTOMIZER_KEYS, JWT_CUSTOMIZER_TOKEN_TYPES } from '../../schemas/jwt-customizer.ts';
import type { Actor } from '../actor.ts';
import { MASK } from '../audit/mask.ts';
import { cached } from '../cache.ts';
import { db } from '../../db/index.ts';
import { env } from '../../env.ts';
import { DomainError, notFound } from '../errors.ts';
import { emitDataEvent } from '../events/index.ts';
import { startSandbox } from '../sandbox/index.ts';
import { configChange } from '../transaction.ts';
import { breakerStatus, type BreakerStatus } from './status.ts';

type Row = {
  tokenType: string;
  script: string;
  environmentVariables: unknown;
  tokenSample: unknown;
  contextSample: unknown;
  blockIssuanceOnError: boolean;
  enabled: boolean;
  updatedAt: Date;
};

/**
 * What the token path needs; null when there is no script or it is disabled (then nothing runs).
 * `version` changes with every save: the circuit breaker's key.
 */
export type ActiveCustomizer = { script: string; environmentVariables: Record<string, string>; blockIssuanceOnError: boolean; version: string };

const versionOf = (row: Row) => String(row.updatedAt.getTime());

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function envOf(row: Row): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(row.environmentVariables) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

export function toResponse(row: Row): JwtCustomizerResponse {
  const tokenSample = asRecord(row.tokenSample);
  const contextSample = asRecord(row.contextSample);
  return {
    script: row.script,
    environmentVariables: envOf(row),
    ...(tokenSample && Object.keys(tokenSample).length ? { tokenSample } : {}),
    ...(contextSample && Object.keys(contextSample).length ? { contextSample } : {}),
    blockIssuanceOnError: row.blockIssuanceOnError,
    // Sigil's switch: shown only when off, so an active configuration reads exactly as Logto's.
    ...(row.enabled ? {} : { enabled: false }),
  };
}

/**
 * The audit/webhook view of a configuration: variable names with masked values, and the script by
 * size and digest (scripts are configuration, but administrators do paste keys into them).
 */
function eventView(tokenType: JwtCustomizerTokenType, row: Row) {
  return {
    tokenType,
    enabled: row.enabled,
    blockIssuanceOnError: row.blockIssuanceOnError,
    scriptBytes: Buffer.byteLength(row.script, 'utf8'),
    scriptSha256: createHash('sha256').update(row.script).digest('hex'),
    environmentVariables: Object.fromEntries(Object.keys(envOf(row)).map((k) => [k, MASK])),
  };
}

/** Logto's 404: `entity.not_exists_with_id` naming the config key. */
const notConfigured = (tokenType: JwtCustomizerTokenType) => notFound('JWT customizer', JWT_CUSTOMIZER_KEYS[tokenType]);

async function findRow(client: Tx | ReturnType<typeof db>, tokenType: JwtCustomizerTokenType): Promise<Row | null> {
  return client.jwtCustomizer.findUnique({ where: { tokenType } });
}

export type JwtCustomizerDetail = { value: JwtCustomizerResponse & { enabled: boolean }; updatedAt: number; breaker: BreakerStatus | null } | null;

/** GET: Logto's shape, plus `circuitBreaker` while the script is tripped on this instance. */
export async function getJwtCustomizer(tokenType: JwtCustomizerTokenType): Promise<JwtCustomizerResponse> {
  const row = await findRow(db(), tokenType);
  if (!row) throw notConfigured(tokenType);
  const circuitBreaker = await breakerStatus(tokenType, row.updatedAt);
  return { ...toResponse(row), ...(circuitBreaker ? { circuitBreaker } : {}) };
}

/** For the console: the stored configuration (or null) with its last change and its breaker state. */
export async function findJwtCustomizer(tokenType: JwtCustomizerTokenType): Promise<JwtCustomizerDetail> {
  const row = await findRow(db(), tokenType);
  return row ? { value: { ...toResponse(row), enabled: row.enabled }, updatedAt: row.updatedAt.getTime(), breaker: await breakerStatus(tokenType, row.updatedAt) } : null;
}

/** Logto's list: `[{ key: 'jwt.accessToken' | 'jwt.clientCredentials', value }]`, configured ones only. */
export async function listJwtCustomizers(): Promise<Array<{ key: (typeof JWT_CUSTOMIZER_KEYS)[JwtCustomizerTokenType]; value: JwtCustomizerResponse }>> {
  const rows = await db().jwtCustomizer.findMany();
  return JWT_CUSTOMIZER_TOKEN_TYPES.flatMap((t) => {
    const row = rows.find((r) => r.tokenType === t);
    return row ? [{ key: JWT_CUSTOMIZER_KEYS[t], value: toResponse(row) }] : [];
  });
}

/** PUT: replaces the whole configuration. `created` tells the caller whether it is new (201 vs 200). */
export async function putJwtCustomizer(actor: Actor, tokenType: JwtCustomizerTokenType, input: JwtCustomizerPut): Promise<{ value: JwtCustomizerResponse; created: boolean }> {
  const data = {
    script: input.script,
    environmentVariables: input.environmentVariables ?? {},
    tokenSample: (input.tokenSample ?? {}) as object,
    contextSample: (input.contextSample ?? {}) as object,
    blockIssuanceOnError: input.blockIssuanceOnError ?? false,
    enabled: input.enabled ?? true,
  };
  return configChange(async (tx) => {
    const before = await findRow(tx, tokenType);
    const row = await tx.jwtCustomizer.upsert({ where: { tokenType }, create: { tokenType, ...data }, update: data });
    await emitDataEvent(tx, actor, {
      event: 'JwtCustomizer.Updated',
      entity: 'JwtCustomizer',
      entityId: tokenType,
      before: before ? eventView(tokenType, before) : undefined,
      after: eventView(tokenType, row),
    });
    return { value: toResponse(row), created: before === null };
  });
}

/** PATCH: changes only the fields given; 404 when nothing is configured yet. */
export async function patchJwtCustomizer(actor: Actor, tokenType: JwtCustomizerTokenType, patch: JwtCustomizerPatch): Promise<JwtCustomizerResponse> {
  return configChange(async (tx) => {
    const before = await findRow(tx, tokenType);
    if (!before) throw notConfigured(tokenType);
    const row = await tx.jwtCustomizer.update({
      where: { tokenType },
      data: Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as JwtCustomizerPatch & { tokenSample?: object; contextSample?: object },
    });
    await emitDataEvent(tx, actor, {
      event: 'JwtCustomizer.Updated',
      entity: 'JwtCustomizer',
      entityId: tokenType,
      before: eventView(tokenType, before),
      after: eventView(tokenType, row),
    });
    return toResponse(row);
  });
}

export async function deleteJwtCustomizer(actor: Actor, tokenType: JwtCustomizerTokenType): Promise<void> {
  await configChange(async (tx) => {
    const before = await findRow(tx, tokenType);
    // Logto's delete answers `entity.not_found` (its reads answer `entity.not_exists_with_id`).
    if (!before) throw new DomainError('not_found', 'entity.not_found', notConfigured(tokenType).message);
    await tx.jwtCustomizer.delete({ where: { tokenType } });
    await emitDataEvent(tx, actor, { event: 'JwtCustomizer.Deleted', entity: 'JwtCustomizer', entityId: tokenType, before: eventView(tokenType, before) });
  });
}

/** The token path's read: cached until any configuration changes (see cache.ts for the bound across instances). */
export function activeJwtCustomizer(tokenType: JwtCustomizerTokenType): Promise<ActiveCustomizer | null> {
  return cached(`jwt-customizer:${tokenType}`, async () => {
    const row = await findRow(db(), tokenType);
    if (!row || !row.enabled) return null;
    // A script will run: have the sandbox's workers start now rather than in the first token's time.
    startSandbox();
    // SIGIL_JWT_CUSTOMIZER_BLOCKING=false: Logto's released behaviour, the flag is kept but never blocks.
    const blockIssuanceOnError = row.blockIssuanceOnError && env().jwtCustomizerBlocking;
    return { script: row.script, environmentVariables: envOf(row), blockIssuanceOnError, version: versionOf(row) };
  });
}
