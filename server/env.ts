// Configuration, validated once per process. Every variable is documented in README "Configuration".
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SIGIL_HOST: z.string().min(1).default('0.0.0.0'),
  SIGIL_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  SIGIL_ENV: z.enum(['development', 'production']).optional(),
  SIGIL_DATA_DIR: z.string().min(1).default('./.sigil'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .optional(),
  SIGIL_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  SIGIL_BOOTSTRAP_CLIENT_ID: z.string().regex(/^[\w.-]{1,128}$/, 'letters, digits, . _ - only').optional(),
  SIGIL_BOOTSTRAP_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SIGIL_BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  SIGIL_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** How long another instance on the same database may serve stale cached config (ms). */
  SIGIL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Allow outbound calls (webhooks, claim-script fetch) to loopback/private addresses. */
  SIGIL_ALLOW_PRIVATE_OUTBOUND: bool.default(false),
  SIGIL_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  SIGIL_CONSOLE_SESSION_MAX_AGE: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(8 * 3600),
  /** Protects /api/cron/* on Vercel (Vercel sends it as a Bearer token). */
  CRON_SECRET: z.string().min(16).optional(),
  SIGIL_WEBHOOK_DISPATCHER: bool.default(true),
  /** Worker threads that run claims scripts (each holds up to 4 runs, one computing at a time). Default: 2 cores. */
  SIGIL_SANDBOX_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  /** Timeouts of one script version within a minute that trip its circuit breaker (0: never trip). */
  SIGIL_SANDBOX_BREAKER_TIMEOUTS: z.coerce.number().int().min(0).max(1000).default(3),
  /** How long a tripped script is not run before one trial run (ms). */
  SIGIL_SANDBOX_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(24 * 3600_000).default(60_000),
  SIGIL_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = {
  port: number;
  host: string;
  publicUrl: string;
  issuer: string;
  managementApiIndicator: string;
  production: boolean;
  dataDir: string;
  databaseUrl: string;
  secret: string;
  bootstrapClient?: { id: string; secret: string };
  bootstrapAdmin?: { email: string; password: string };
  cacheTtlMs: number;
  allowPrivateOutbound: boolean;
  auditRetentionDays: number;
  consoleSessionMaxAge: number;
  cronSecret?: string;
  webhookDispatcher: boolean;
  sandbox: { workers: number; breakerTimeouts: number; breakerCooldownMs: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_KEY = Symbol.for('sigil.env');
type Holder = { [ENV_KEY]?: Env };

/** The validated configuration. Throws ConfigError naming the bad variable. */
export function env(): Env {
  const holder = globalThis as Holder;
  return (holder[ENV_KEY] ??= loadEnv(process.env));
}

/** For tests and the CLI: forget the cached configuration. */
export function resetEnv(): void {
  delete (globalThis as Holder)[ENV_KEY];
}

export function loadEnv(source: NodeJS.ProcessEnv): Env {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  const production = (v.SIGIL_ENV ?? (source.VERCEL ? 'production' : 'development')) === 'production';
  const dataDir = isAbsolute(v.SIGIL_DATA_DIR) ? v.SIGIL_DATA_DIR : resolve(/*turbopackIgnore: true*/ process.cwd(), v.SIGIL_DATA_DIR);
  const publicUrl = v.SIGIL_PUBLIC_URL ?? vercelUrl(source) ?? `http://localhost:${v.PORT}`;
  const databaseUrl = v.DATABASE_URL ?? `file:${join(dataDir, 'sigil.db')}`;
  if ((v.SIGIL_BOOTSTRAP_CLIENT_ID === undefined) !== (v.SIGIL_BOOTSTRAP_CLIENT_SECRET === undefined)) {
    throw new ConfigError('Invalid configuration:\n  SIGIL_BOOTSTRAP_CLIENT_ID and SIGIL_BOOTSTRAP_CLIENT_SECRET must be set together');
  }
  if ((v.SIGIL_BOOTSTRAP_ADMIN_EMAIL === undefined) !== (v.SIGIL_BOOTSTRAP_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  SIGIL_BOOTSTRAP_ADMIN_EMAIL and SIGIL_BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  return {
    port: v.PORT,
    host: v.SIGIL_HOST,
    publicUrl,
    issuer: `${publicUrl}/oidc`,
    managementApiIndicator: `${publicUrl}/api`,
    production,
    dataDir,
    databaseUrl,
    secret: v.SIGIL_SECRET ?? developmentSecret(production, dataDir),
    bootstrapClient: v.SIGIL_BOOTSTRAP_CLIENT_ID
      ? { id: v.SIGIL_BOOTSTRAP_CLIENT_ID, secret: v.SIGIL_BOOTSTRAP_CLIENT_SECRET! }
      : undefined,
    bootstrapAdmin: v.SIGIL_BOOTSTRAP_ADMIN_EMAIL
      ? { email: v.SIGIL_BOOTSTRAP_ADMIN_EMAIL, password: v.SIGIL_BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    cacheTtlMs: v.SIGIL_CACHE_TTL_MS,
    allowPrivateOutbound: v.SIGIL_ALLOW_PRIVATE_OUTBOUND,
    auditRetentionDays: v.SIGIL_AUDIT_RETENTION_DAYS,
    consoleSessionMaxAge: v.SIGIL_CONSOLE_SESSION_MAX_AGE,
    cronSecret: v.CRON_SECRET,
    webhookDispatcher: v.SIGIL_WEBHOOK_DISPATCHER,
    sandbox: { workers: v.SIGIL_SANDBOX_WORKERS, breakerTimeouts: v.SIGIL_SANDBOX_BREAKER_TIMEOUTS, breakerCooldownMs: v.SIGIL_SANDBOX_BREAKER_COOLDOWN_MS },
    logLevel: v.SIGIL_LOG_LEVEL,
  };
}

function vercelUrl(source: NodeJS.ProcessEnv): string | undefined {
  const host = source.VERCEL_PROJECT_PRODUCTION_URL;
  return host ? `https://${host}` : undefined;
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
