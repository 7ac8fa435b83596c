// The claims-script stage of token issuance, for every grant:
//
//   const { claims } = await runJwtCustomizer('client-credentials', { draft, context: () => ... });
//   issueAccessToken(draft, format, claims);
//
// - No script, or a disabled one: returns {} without touching the sandbox (one cached lookup).
// - `api.denyAccess(message)`: throws JwtCustomizerDenied(message) -> the grant answers access_denied.
// - Any other failure (syntax, runtime, timeout, memory, invalid result, busy) is recorded in the audit
//   log (`JwtCustomizer.ClientCredentials` / `JwtCustomizer.AccessToken`: kind, message, line, column;
//   environment variable values redacted from the message by the sandbox); then, by the script's policy,
//   the token is issued without the claims (default, as Logto) or JwtCustomizerFailed is thrown
//   (`blockIssuanceOnError`).
// - A script version that keeps timing out is tripped (breaker.ts): it is not run, and each request is a
//   failure of kind `tripped` under the same policy, without a record of its own (the token request's
//   record says `customClaims.failed: 'tripped'`). Trips and recoveries are audited as
//   `JwtCustomizer.Tripped` / `JwtCustomizer.Recovered`.
// Reserved claims are protected later, by mergeClaims in issueAccessToken: whatever the script returns
// for `sub`, `aud`, `scope`, `act`, ... is ignored there.
import { env } from '../../env.ts';
import type { JwtCustomizerTokenType } from '../../schemas/jwt-customizer.ts';
import { audit } from '../audit/index.ts';
import { runClaimsScriptWarm } from '../sandbox/index.ts';
import { RESERVED_CLAIMS } from '../tokens/claims.ts';
import type { TokenDraft } from '../tokens/issue.ts';
import { JwtCustomizerDenied, JwtCustomizerFailed } from './errors.ts';
import { accessTokenToken, clientCredentialsToken, type JwtCustomizerContext, type JwtCustomizerToken } from './shapes.ts';
import { admit, BREAKER_AUDIT_KEYS, record, type BreakerEvent } from './breaker.ts';
import { activeJwtCustomizer } from './store.ts';

export const AUDIT_KEYS = {
  'client-credentials': 'JwtCustomizer.ClientCredentials',
  'access-token': 'JwtCustomizer.AccessToken',
} as const satisfies Record<JwtCustomizerTokenType, string>;

const TRIPPED_MESSAGE = 'The script is tripped (it kept timing out) and was not run';

function auditBreaker(tokenType: JwtCustomizerTokenType, event: BreakerEvent): Promise<void> {
  if (event.type === 'recovered') return audit({ key: BREAKER_AUDIT_KEYS.recovered, result: 'Success', tokenType });
  const { reason, timeouts, cooldownMs, retryAt } = event;
  return audit({
    key: BREAKER_AUDIT_KEYS.tripped,
    result: 'Error',
    tokenType,
    reason,
    error: { code: 'tripped', description: `The ${tokenType} claims script ${reason}: not run for ${cooldownMs / 1000} s, then one trial run` },
    timeouts,
    cooldownMs,
    retryAt: new Date(retryAt).toISOString(),
  });
}

type Lazy<T> = T | (() => T | Promise<T>);

export type JwtCustomizerInput<T extends JwtCustomizerTokenType> = {
  /** The token about to be issued (reserved claims decided). */
  draft: TokenDraft;
  /**
   * What the script sees as `context`. Pass a function to build it only when a script is active
   * (loading a user's roles costs queries that no token should pay for without a script).
   */
  context: Lazy<JwtCustomizerContext<T>>;
  /**
   * access-token only: Logto's grant facts for `token` (`gty`, e.g. the token-exchange grant type, and an
   * optional `grantId`). The rest of `token` is derived from the draft.
   */
  grant?: T extends 'access-token' ? { gty: string; grantId?: string } : never;
  /** Request facts for the audit record of a failure. */
  request?: { ip?: string | null; userAgent?: string | null };
};

export type JwtCustomizerOutcome = {
  /** Claims to merge under the reserved ones; absent when no script ran or it failed (non-blocking). */
  claims?: Record<string, unknown>;
  /** Present when a script ran: facts for the token request's audit record. */
  report?: {
    /** The whole stage (config lookup, context, sandbox run), ms; on failure, the sandbox run. */
    durationMs: number;
    /** Keys the script returned that are reserved, so the token keeps Sigil's values. */
    ignoredClaims?: string[];
    /** A failure that did not block issuance (it is in the JwtCustomizer.* audit record too). */
    failed?: string;
  };
};

function tokenFor<T extends JwtCustomizerTokenType>(tokenType: T, input: JwtCustomizerInput<T>): JwtCustomizerToken<T> {
  if (tokenType === 'client-credentials') return clientCredentialsToken(input.draft) as JwtCustomizerToken<T>;
  const grant = (input.grant ?? { gty: 'unknown' }) as { gty: string; grantId?: string };
  return accessTokenToken(input.draft, grant) as JwtCustomizerToken<T>;
}

/** Runs the active script for `tokenType`, if any. Throws JwtCustomizerDenied / JwtCustomizerFailed. */
export async function runJwtCustomizer<T extends JwtCustomizerTokenType>(tokenType: T, input: JwtCustomizerInput<T>): Promise<JwtCustomizerOutcome> {
  const started = performance.now();
  const config = await activeJwtCustomizer(tokenType);
  if (!config) return {};
  const gate = admit(tokenType, config.version);
  if (gate === 'tripped') {
    if (config.blockIssuanceOnError) throw new JwtCustomizerFailed('tripped', TRIPPED_MESSAGE);
    return { report: { durationMs: Math.round((performance.now() - started) * 1000) / 1000, failed: 'tripped' } };
  }
  let result: Awaited<ReturnType<typeof runClaimsScriptWarm>> | null = null;
  try {
    const context = typeof input.context === 'function' ? await input.context() : input.context;
    // Issuance reuses the script version's warm, hardened context (sandbox/worker/warm.ts).
    result = await runClaimsScriptWarm({
      script: config.script,
      token: tokenFor(tokenType, input),
      context,
      environmentVariables: config.environmentVariables,
      limits: { fetch: { allowPrivateNetworks: env().allowPrivateOutbound } },
    });
  } finally {
    // A trial must be reported even when building the context threw, or the breaker would stay tripped.
    const event = record(tokenType, config.version, result === null ? 'busy' : result.ok ? null : result.kind, gate === 'trial');
    if (event) await auditBreaker(tokenType, event);
  }
  if (result.ok) {
    const ignored = Object.keys(result.claims).filter((k) => RESERVED_CLAIMS.has(k));
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    return { claims: result.claims, report: { durationMs, ...(ignored.length ? { ignoredClaims: ignored } : {}) } };
  }

  const { kind, message, line, column, durationMs } = result;
  const blocked = kind === 'denied' || config.blockIssuanceOnError;
  await audit({
    key: AUDIT_KEYS[tokenType],
    result: 'Error',
    applicationId: input.draft.client_id,
    userId: tokenType === 'access-token' ? input.draft.sub : undefined,
    ip: input.request?.ip ?? null,
    userAgent: input.request?.userAgent ?? null,
    error: { code: kind, description: message },
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    durationMs,
    tokenId: input.draft.jti,
    resource: input.draft.aud,
    // What happened to the token: refused (denied, or blockIssuanceOnError) or issued without the claims.
    issuance: blocked ? 'blocked' : 'issued_without_claims',
  });
  if (kind === 'denied') throw new JwtCustomizerDenied(message);
  if (config.blockIssuanceOnError) throw new JwtCustomizerFailed(kind, message, line, column);
  return { report: { durationMs, failed: kind } };
}
