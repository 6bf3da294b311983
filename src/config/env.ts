import { ConfigError, EnvReader, type Env } from './env-reader';
import { MERCHANT_VARIABLES, readWechatPaySettings, type WechatPaySettings } from './wechatpay-env';

export { ConfigError, type WechatPaySettings };

export type RateLimitStore = 'memory' | 'postgres';

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  /** Absent: an embedded PostgreSQL under `.data/postgres`. */
  databaseUrl?: string;
  /** Connections per instance; a session request holds one across its WeChat call. */
  databasePoolMax: number;
  /** False when migrations are a separate release step (`npm run migrate`). */
  migrateOnStart: boolean;
  embeddedPostgresPort: number;
  dataDir: string;
  /** Absent outside production: a random secret is kept under `.data/`. */
  jwtSecret?: string;
  jwtTtlSeconds: number;
  validateResponses: boolean;
  seatLockMinutes: number;
  sessionReuseSeconds: number;
  rateLimitStore: RateLimitStore;
  /** API processes on one port (node:cluster); more than one shares the rate limit through PostgreSQL. */
  apiWorkers: number;
  /** Polled statuses kept in memory, true to the database through LISTEN/NOTIFY; 0 turns the cache off. */
  statusCacheEntries: number;
  sandboxPort: number;
  /** `sandbox` when no merchant settings are given: the local sandbox WeChat Pay plays WeChat. */
  mode: 'sandbox' | 'live';
  /** Only in live mode; sandbox mode builds its settings from the keys the sandbox generates. */
  wechat?: WechatPaySettings;
}

/** Reads and validates the whole environment once; throws one ConfigError naming every problem. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const live = MERCHANT_VARIABLES.some((name) => read.string(name) !== undefined);
  const jwtSecret = read.string('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) read.problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === undefined && nodeEnv === 'production') read.problems.push('JWT_SECRET is required in production');
  if (!live && nodeEnv === 'production')
    read.problems.push(`production needs the merchant settings (${MERCHANT_VARIABLES.join(', ')}); the sandbox is for development and tests`);
  const apiWorkers = read.integer('API_WORKERS', 1, 1, 64);
  // Each worker is its own process: a memory store would give every worker its own allowance.
  if (apiWorkers > 1 && read.string('RATE_LIMIT_STORE') === 'memory') read.problems.push('API_WORKERS above 1 needs RATE_LIMIT_STORE=postgres (or unset)');
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) read.problems.push('DATABASE_URL must be a postgres:// URL');

  const config: AppConfig = {
    nodeEnv,
    host: read.string('HOST', '127.0.0.1') as string,
    port: read.integer('PORT', 3000, 0, 65535),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    databaseUrl,
    databasePoolMax: read.integer('DATABASE_POOL_MAX', 20, 2, 500),
    migrateOnStart: read.boolean('MIGRATE_ON_START', true),
    embeddedPostgresPort: read.integer('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    dataDir: read.string('DATA_DIR', '.data') as string,
    jwtSecret,
    jwtTtlSeconds: read.integer('JWT_TTL_SECONDS', 7200, 60, 86400 * 30),
    validateResponses: read.boolean('VALIDATE_RESPONSES', nodeEnv !== 'production'),
    seatLockMinutes: read.integer('SEAT_LOCK_MINUTES', 15, 3, 24 * 60),
    sessionReuseSeconds: read.integer('PAYMENT_SESSION_REUSE_SECONDS', 600, 1, 7000),
    rateLimitStore: read.oneOf('RATE_LIMIT_STORE', ['memory', 'postgres'] as const, apiWorkers > 1 ? 'postgres' : 'memory'),
    apiWorkers,
    statusCacheEntries: read.integer('STATUS_CACHE_ENTRIES', 100_000, 0, 10_000_000),
    sandboxPort: read.integer('WECHAT_SANDBOX_PORT', 3100, 0, 65535),
    mode: live ? 'live' : 'sandbox',
    wechat: live ? readWechatPaySettings(read) : undefined,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
