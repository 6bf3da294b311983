import { ConfigError, EnvReader, type Env } from './env-reader';
import { readHttpTimeouts, readMetricsListener, readTrustProxy, type HttpTimeouts, type MetricsListenerConfig, type TrustProxy } from './http-env';
import { readRateLimits, type RateLimit, type RateLimits } from './rate-limit-env';
import { MERCHANT_VARIABLES, readWechatPaySettings, type WechatPaySettings } from './wechatpay-env';

export { ConfigError, type HttpTimeouts, type MetricsListenerConfig, type RateLimit, type RateLimits, type TrustProxy, type WechatPaySettings };

export type RateLimitStore = 'memory' | 'postgres';

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** `/metrics` has its own listener, never the public port. */
  metrics: MetricsListenerConfig;
  trustProxy: TrustProxy;
  httpTimeouts: HttpTimeouts;
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
  rateLimits: RateLimits;
  sandboxPort: number;
  /** `sandbox` when no merchant settings are given: the local sandbox WeChat Pay plays WeChat. */
  mode: 'sandbox' | 'live';
  /** Run the doctor's signed call to WeChat Pay before listening; a bad answer fails the start. */
  wechatPayStartupCheck: boolean;
  /** Only in live mode; sandbox mode builds its settings from the keys the sandbox generates. */
  wechat?: WechatPaySettings;
}

/** Reads and validates the whole environment once; throws one ConfigError naming every problem. */
export function loadConfig(env: Env = process.env, now: Date = new Date()): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const live = MERCHANT_VARIABLES.some((name) => read.string(name) !== undefined);
  const jwtSecret = read.string('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) read.problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === undefined && nodeEnv === 'production') read.problems.push('JWT_SECRET is required in production');
  if (!live && nodeEnv === 'production')
    read.problems.push(`production needs the merchant settings (${MERCHANT_VARIABLES.join(', ')}); the sandbox is for development and tests`);
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) read.problems.push('DATABASE_URL must be a postgres:// URL');

  const config: AppConfig = {
    nodeEnv,
    host: read.string('HOST', '127.0.0.1') as string,
    port: read.integer('PORT', 3000, 0, 65535),
    metrics: readMetricsListener(read, nodeEnv === 'production'),
    trustProxy: readTrustProxy(read),
    httpTimeouts: readHttpTimeouts(read),
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
    rateLimitStore: read.oneOf('RATE_LIMIT_STORE', ['memory', 'postgres'] as const, 'memory'),
    rateLimits: readRateLimits(read),
    sandboxPort: read.integer('WECHAT_SANDBOX_PORT', 3100, 0, 65535),
    mode: live ? 'live' : 'sandbox',
    wechatPayStartupCheck: read.boolean('WECHATPAY_STARTUP_CHECK', false),
    wechat: live ? readWechatPaySettings(read, { production: nodeEnv === 'production', now }) : undefined,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
