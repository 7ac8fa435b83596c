// Custom token claims (getCustomJwtClaims) on the wire: Logto's `/api/configs/jwt-customizer` shapes
// (`script`, `environmentVariables`, `tokenSample`, `contextSample`, `blockIssuanceOnError`) plus Sigil's
// `enabled`. The same schemas validate the console's tRPC input.
import { z } from 'zod';

export const JWT_CUSTOMIZER_TOKEN_TYPES = ['access-token', 'client-credentials'] as const;
export const jwtCustomizerTokenType = z.enum(JWT_CUSTOMIZER_TOKEN_TYPES);
export type JwtCustomizerTokenType = z.infer<typeof jwtCustomizerTokenType>;

/** Logto's config keys, as `GET /api/configs/jwt-customizer` lists them. */
export const JWT_CUSTOMIZER_KEYS = { 'access-token': 'jwt.accessToken', 'client-credentials': 'jwt.clientCredentials' } as const satisfies Record<JwtCustomizerTokenType, string>;

export const MAX_SCRIPT_BYTES = 50 * 1024;
export const MAX_ENVIRONMENT_VARIABLES = 50;
export const MAX_ENV_NAME_CHARS = 256;
export const MAX_ENV_VALUE_CHARS = 8 * 1024;
export const MAX_SAMPLE_BYTES = 100 * 1024;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

export const script = z
  .string()
  // May be empty, as Logto (its console saves environment variables before any script).
  .refine((s) => utf8Bytes(s) <= MAX_SCRIPT_BYTES, `must be at most ${MAX_SCRIPT_BYTES} bytes (50 KB)`);

/** Names to values; the values are secrets (never audited, never logged). */
export const environmentVariables = z
  .record(z.string().min(1, 'names must not be empty').max(MAX_ENV_NAME_CHARS), z.string().max(MAX_ENV_VALUE_CHARS))
  .refine((v) => Object.keys(v).length <= MAX_ENVIRONMENT_VARIABLES, `at most ${MAX_ENVIRONMENT_VARIABLES} variables`);

/** A JSON object (the samples are what the playground feeds the script as `token` and `context`). */
export const sample = z
  .record(z.string(), z.unknown())
  .refine((v) => utf8Bytes(JSON.stringify(v)) <= MAX_SAMPLE_BYTES, `must be at most ${MAX_SAMPLE_BYTES / 1024} KB of JSON`);

const fields = {
  script,
  environmentVariables: environmentVariables.optional(),
  tokenSample: sample.optional(),
  contextSample: sample.optional(),
  /** Off (default, Logto's behaviour): a failing script issues the token without its claims. On: the request fails. */
  blockIssuanceOnError: z.boolean().optional(),
  /** Sigil: a disabled script is kept but never runs. Default on. */
  enabled: z.boolean().optional(),
};

/** PUT: the whole configuration; absent optional fields take their defaults. */
export const jwtCustomizerPut = z.strictObject(fields);
export type JwtCustomizerPut = z.infer<typeof jwtCustomizerPut>;

/** PATCH: only the fields given change. */
export const jwtCustomizerPatch = z.strictObject({ ...fields, script: script.optional() });
export type JwtCustomizerPatch = z.infer<typeof jwtCustomizerPatch>;

/** The script's circuit breaker while it is tripped (GET only; absent when the script runs normally). */
export const jwtCustomizerCircuitBreaker = z.object({
  /** `open`: not run until retryAt; `trial`: the cool-down is over and the next run decides. */
  state: z.enum(['open', 'trial']),
  reason: z.string(),
  /** Epoch milliseconds, as Logto's timestamps. */
  trippedAt: z.number(),
  retryAt: z.number(),
});

export const jwtCustomizerResponse = z.object({
  script: z.string(),
  environmentVariables: z.record(z.string(), z.string()),
  tokenSample: z.record(z.string(), z.unknown()).optional(),
  contextSample: z.record(z.string(), z.unknown()).optional(),
  blockIssuanceOnError: z.boolean(),
  /** Sigil: present (false) only while the script is switched off. */
  enabled: z.boolean().optional(),
  /**
   * Sigil: present while the script is tripped on the instance that answers (it timed out repeatedly
   * and issuance does not run it for a cool-down). Saving the script resets it.
   */
  circuitBreaker: jwtCustomizerCircuitBreaker.optional(),
});
export type JwtCustomizerResponse = z.infer<typeof jwtCustomizerResponse>;

export const jwtCustomizerListItem = z.object({ key: z.enum([JWT_CUSTOMIZER_KEYS['access-token'], JWT_CUSTOMIZER_KEYS['client-credentials']]), value: jwtCustomizerResponse });

export const jwtCustomizerParams = z.object({ tokenTypePath: jwtCustomizerTokenType });

/**
 * POST /api/configs/jwt-customizer/test, as Logto: `token` and (for access tokens) `context` are the
 * samples the script runs against. Sigil also accepts a `context` for client credentials (its M2M
 * context carries the application and its roles).
 */
export const jwtCustomizerTest = z.discriminatedUnion('tokenType', [
  z.strictObject({
    tokenType: z.literal('access-token'),
    script,
    environmentVariables: environmentVariables.optional(),
    token: sample,
    context: sample,
  }),
  z.strictObject({
    tokenType: z.literal('client-credentials'),
    script,
    environmentVariables: environmentVariables.optional(),
    token: sample,
    context: sample.optional(),
  }),
]);
export type JwtCustomizerTest = z.infer<typeof jwtCustomizerTest>;

/**
 * How a run failed. `busy`: no sandbox worker was free before the run's deadline (the script did not
 * run). `tripped`: issuance only, the script version timed out repeatedly and its circuit breaker is
 * open (the script was not run).
 */
export const SCRIPT_FAILURE_KINDS = ['syntax', 'runtime', 'timeout', 'memory', 'denied', 'invalid_result', 'busy', 'tripped'] as const;
export type ScriptFailureKind = (typeof SCRIPT_FAILURE_KINDS)[number];
