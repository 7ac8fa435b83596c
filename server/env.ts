// Configuration: every variable Sigil reads, validated once per process. Each section's schema is exported
// beside the part of the configuration it produces; README "Configuration" documents every variable.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Where Sigil listens and how it is reached. */
export const serverSection = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SIGIL_HOST: z.string().min(1).default('0.0.0.0'),
  SIGIL_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  SIGIL_ENV: z.enum(['development', 'production']).optional(),
  /** Take the client IP from X-Forwarded-For (set behind a reverse proxy; on by default on Vercel). */
  SIGIL_TRUST_PROXY: bool.optional(),
  SIGIL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /**
   * Set by the self-hosted protocol process for the console process it starts: proves that a request's
   * client-IP header came from that process. Never set it yourself.
   */
  SIGIL_INTERNAL_TOKEN: z.string().min(32).optional(),
  /** Set by Vercel in its functions. */
  VERCEL: z.string().optional(),
  VERCEL_PROJECT_PRODUCTION_URL: z.string().optional(),
});

/** Data, secrets and the database. */
export const storageSection = z.object({
  SIGIL_DATA_DIR: z.string().min(1).default('./.sigil'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .optional(),
  SIGIL_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SIGIL_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  SIGIL_SECRET_PREVIOUS: z.string().min(32).optional(),
  /** How long another instance on the same database may serve stale cached config (ms). */
  SIGIL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  SIGIL_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * `hashed` (default): an app secret's value is shown once, at creation. `retrievable`: new secrets are
   * also kept sealed under the instance key and listed with their `value`, as Logto does.
   */
  SIGIL_CLIENT_SECRETS: z.enum(['hashed', 'retrievable']).default('hashed'),
});

/** First-start setup for unattended installs. */
export const bootstrapSection = z.object({
  SIGIL_BOOTSTRAP_CLIENT_ID: z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, . _ - only').optional(),
  SIGIL_BOOTSTRAP_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SIGIL_BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  SIGIL_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SIGIL_CONSOLE_SESSION_MAX_AGE: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(8 * 3600),
  /** Tests: every Management answer is parsed against its operation's declared response schema. */
  SIGIL_CHECK_RESPONSES: bool.default(false),
});

/** Outbound calls (webhooks, claim-script fetch) and their delivery limits. */
export const webhooksSection = z.object({
  /** Allow outbound calls to loopback/private addresses (local development only). */
  SIGIL_ALLOW_PRIVATE_OUTBOUND: bool.default(false),
  SIGIL_WEBHOOK_DISPATCHER: bool.default(true),
  /** Per request: DNS + connect + response. Logto uses 10 s too. */
  SIGIL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** First retry delay; doubles per attempt (with jitter). 5 s x 2^n over 15 attempts spans about a day. */
  SIGIL_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
  SIGIL_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(15),
  SIGIL_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Protects /api/cron/* on Vercel (Vercel sends it as a Bearer token). */
  CRON_SECRET: z.string().min(16).optional(),
  /** Worker threads that run claims scripts (each holds up to 4 runs, one computing at a time). Default: 2 cores. */
  SIGIL_SANDBOX_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  /** Timeouts of one script version within a minute that trip its circuit breaker (0: never trip). */
  SIGIL_SANDBOX_BREAKER_TIMEOUTS: z.coerce.number().int().min(0).max(1000).default(3),
  /** How long a tripped script is not run before one trial run (ms). */
  SIGIL_SANDBOX_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(24 * 3600_000).default(60_000),
  /**
   * Honour a claims script's `blockIssuanceOnError` (a failing script refuses the token). `false` is Logto's
   * released behaviour (its flag is a dev feature there): failures always issue the token without the claims.
   */
  SIGIL_JWT_CUSTOMIZER_BLOCKING: bool.default(true),
});

const schema = serverSection.extend(storageSection.shape).extend(bootstrapSection.shape).extend(webhooksSection.shape);

export type WebhookConfig = {
  dispatcher: boolean;
  timeoutMs: number;
  backoffBaseMs: number;
  maxAttempts: number;
  concurrency: number;
  /** A claim outlives the request it covers; after it expires another dispatcher may take the row. */
  leaseMs: number;
  /** Longest single backoff (also caps Retry-After). */
  maxDelayMs: number;
  /** Poll interval of the in-process dispatcher. */
  pollMs: number;
  /** Response body kept on the delivery row and in the log entry. */
  keepResponseChars: number;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type Env = {
  port: number;
  host: string;
  publicUrl: string;
  issuer: string;
  managementApiIndicator: string;
  production: boolean;
  /** Running as a Vercel function. */
  vercel: boolean;
  trustProxy: boolean;
  internalToken?: string;
  logLevel: LogLevel;
  dataDir: string;
  databaseUrl: string;
  pgPoolSize: number;
  secret: string;
  previousSecret?: string;
  bootstrapClient?: { id: string; secret: string };
  bootstrapAdmin?: { email: string; password: string };
  cacheTtlMs: number;
  allowPrivateOutbound: boolean;
  auditRetentionDays: number;
  clientSecrets: 'hashed' | 'retrievable';
  consoleSessionMaxAge: number;
  /** Parse every Management answer against its declared response (tests). */
  checkResponses: boolean;
  cronSecret?: string;
  webhooks: WebhookConfig;
  sandbox: { workers: number; breakerTimeouts: number; breakerCooldownMs: number };
  jwtCustomizerBlocking: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

let current: Env | undefined;

/** The validated configuration. Throws ConfigError naming the bad variable. */
export function env(): Env {
  return (current ??= loadEnv(process.env));
}

/** For tests and the CLI: forget the cached configuration (the CLI's `rewrap` sets secrets from flags). */
export function resetEnv(): void {
  current = undefined;
}

export function loadEnv(source: NodeJS.ProcessEnv): Env {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  const vercel = Boolean(v.VERCEL);
  const production = (v.SIGIL_ENV ?? (vercel ? 'production' : 'development')) === 'production';
  const dataDir = isAbsolute(v.SIGIL_DATA_DIR) ? v.SIGIL_DATA_DIR : resolve(/*turbopackIgnore: true*/ process.cwd(), v.SIGIL_DATA_DIR);
  const vercelUrl = v.VERCEL_PROJECT_PRODUCTION_URL ? `https://${v.VERCEL_PROJECT_PRODUCTION_URL}` : undefined;
  const publicUrl = v.SIGIL_PUBLIC_URL ?? vercelUrl ?? `http://localhost:${v.PORT}`;
  const databaseUrl = v.DATABASE_URL ?? `file:${join(dataDir, 'sigil.db')}`;
  together(v.SIGIL_BOOTSTRAP_CLIENT_ID, v.SIGIL_BOOTSTRAP_CLIENT_SECRET, 'SIGIL_BOOTSTRAP_CLIENT_ID and SIGIL_BOOTSTRAP_CLIENT_SECRET');
  together(v.SIGIL_BOOTSTRAP_ADMIN_EMAIL, v.SIGIL_BOOTSTRAP_ADMIN_PASSWORD, 'SIGIL_BOOTSTRAP_ADMIN_EMAIL and SIGIL_BOOTSTRAP_ADMIN_PASSWORD');
  return {
    port: v.PORT,
    host: v.SIGIL_HOST,
    publicUrl,
    issuer: `${publicUrl}/oidc`,
    managementApiIndicator: `${publicUrl}/api`,
    production,
    vercel,
    trustProxy: v.SIGIL_TRUST_PROXY ?? vercel,
    internalToken: v.SIGIL_INTERNAL_TOKEN,
    logLevel: v.SIGIL_LOG_LEVEL,
    dataDir,
    databaseUrl,
    pgPoolSize: v.SIGIL_PG_POOL_SIZE,
    secret: v.SIGIL_SECRET ?? developmentSecret(production, dataDir),
    previousSecret: v.SIGIL_SECRET_PREVIOUS,
    bootstrapClient: v.SIGIL_BOOTSTRAP_CLIENT_ID ? { id: v.SIGIL_BOOTSTRAP_CLIENT_ID, secret: v.SIGIL_BOOTSTRAP_CLIENT_SECRET! } : undefined,
    bootstrapAdmin: v.SIGIL_BOOTSTRAP_ADMIN_EMAIL ? { email: v.SIGIL_BOOTSTRAP_ADMIN_EMAIL, password: v.SIGIL_BOOTSTRAP_ADMIN_PASSWORD! } : undefined,
    cacheTtlMs: v.SIGIL_CACHE_TTL_MS,
    allowPrivateOutbound: v.SIGIL_ALLOW_PRIVATE_OUTBOUND,
    auditRetentionDays: v.SIGIL_AUDIT_RETENTION_DAYS,
    clientSecrets: v.SIGIL_CLIENT_SECRETS,
    consoleSessionMaxAge: v.SIGIL_CONSOLE_SESSION_MAX_AGE,
    checkResponses: v.SIGIL_CHECK_RESPONSES,
    cronSecret: v.CRON_SECRET,
    webhooks: {
      dispatcher: v.SIGIL_WEBHOOK_DISPATCHER,
      timeoutMs: v.SIGIL_WEBHOOK_TIMEOUT_MS,
      backoffBaseMs: v.SIGIL_WEBHOOK_BACKOFF_MS,
      maxAttempts: v.SIGIL_WEBHOOK_MAX_ATTEMPTS,
      concurrency: v.SIGIL_WEBHOOK_CONCURRENCY,
      leaseMs: v.SIGIL_WEBHOOK_TIMEOUT_MS + 5_000,
      maxDelayMs: 12 * 3600_000,
      pollMs: 250,
      keepResponseChars: 2048,
    },
    sandbox: { workers: v.SIGIL_SANDBOX_WORKERS, breakerTimeouts: v.SIGIL_SANDBOX_BREAKER_TIMEOUTS, breakerCooldownMs: v.SIGIL_SANDBOX_BREAKER_COOLDOWN_MS },
    jwtCustomizerBlocking: v.SIGIL_JWT_CUSTOMIZER_BLOCKING,
  };
}

function together(a: string | undefined, b: string | undefined, names: string): void {
  if ((a === undefined) !== (b === undefined)) throw new ConfigError(`Invalid configuration:\n  ${names} must be set together`);
}

/**
 * Development only: a random secret generated once into the data directory (0600) and reused, so
 * that `npm start` works on a fresh clone and encrypted keys survive restarts.
 */
function developmentSecret(production: boolean, dataDir: string): string {
  if (production) {
    throw new ConfigError(
      'Invalid configuration:\n  SIGIL_SECRET: required in production (at least 32 characters, e.g. `openssl rand -base64 48`)',
    );
  }
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}
