import { ConfigError, EnvReader, type Env } from './env-reader';
import { DEFAULT_RECONCILE_SCHEDULE, parseReconcileSchedule } from './reconcile-schedule-env';
import { readHttpTimeouts, readMetricsListener, readTrustProxy, type HttpTimeouts, type MetricsListenerConfig, type TrustProxy } from './http-env';
import { readRateLimits, type RateLimit, type RateLimits } from './rate-limit-env';
import { MERCHANT_VARIABLES, readWechatPaySettings, refundNotifyUrlOf, type WechatPaySettings } from './wechatpay-env';

export {
  ConfigError,
  refundNotifyUrlOf,
  type HttpTimeouts,
  type MetricsListenerConfig,
  type RateLimit,
  type RateLimits,
  type TrustProxy,
  type WechatPaySettings,
};

export type RateLimitStore = 'memory' | 'postgres';

export interface LifecycleConfig {
  /** Delays between the reconciler's queries of an open transaction, from the session; the last one repeats. */
  reconcileScheduleMs: number[];
  /** Status polls nudge the reconciler at most once per this many seconds per order. */
  reconcileNudgeSeconds: number;
  /** How often lapsed seat locks are looked for (each found one gets an expiry job). */
  expirySweepSeconds: number;
  /** `payment_status_history` and `payment_notifications` rows older than this are deleted daily. */
  historyRetentionDays: number;
  /** Platform certificate mode: each instance downloads `GET /v3/certificates` at start-up and this often. */
  certificateRefreshSeconds: number;
}

export interface JobsConfig {
  /** `JOBS=off`: this instance queues jobs but runs none (another instance, or `npm run worker`, runs them). */
  enabled: boolean;
  /** How often an idle worker looks for due jobs. */
  pollingMs: number;
  /** Connections the job queue keeps, apart from DATABASE_POOL_MAX. */
  poolMax: number;
}

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
  jobs: JobsConfig;
  lifecycle: LifecycleConfig;
  rateLimits: RateLimits;
  /** API processes on one port (node:cluster); more than one shares the rate limit through PostgreSQL. */
  apiWorkers: number;
  /** Polled statuses kept in memory, true to the database through LISTEN/NOTIFY; 0 turns the cache off. */
  statusCacheEntries: number;
  sandboxPort: number;
  /** `sandbox` when no merchant settings are given: the local sandbox WeChat Pay plays WeChat. */
  mode: 'sandbox' | 'live';
  /** Run the doctor's signed call to WeChat Pay before listening; a bad answer fails the start. */
  wechatPayStartupCheck: boolean;
  /** Operator API keys (ADMIN_API_KEYS); absent outside production: one is generated under DATA_DIR. */
  adminApiKeys?: string[];
  /** Refund paid_after_cancel orders automatically (a job); off unless AUTO_REFUND_PAID_AFTER_CANCEL=true. */
  autoRefundPaidAfterCancel: boolean;
  /** Period of the refund reconciler and the paid-after-cancel sweep (jobs); 0: neither runs by itself. */
  refundJobsIntervalSeconds: number;
  /** Sandbox mode: how long the sandbox keeps a refund PROCESSING before it settles and notifies. */
  sandboxRefundProcessingMs: number;
  /** Only in live mode; sandbox mode builds its settings from the keys the sandbox generates. */
  wechat?: WechatPaySettings;
}

/** Comma-separated operator keys, each at least 32 characters; required in production for the operator API to open. */
function readAdminApiKeys(read: EnvReader, nodeEnv: AppConfig['nodeEnv']): string[] | undefined {
  const raw = read.string('ADMIN_API_KEYS');
  if (raw === undefined) return nodeEnv === 'production' ? [] : undefined;
  const keys = raw
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  // Counted, never echoed: the message must not carry a key.
  const short = keys.filter((key) => key.length < 32 || !/^[\x21-\x7e]+$/.test(key)).length;
  if (keys.length === 0 || short > 0)
    read.problems.push(`ADMIN_API_KEYS must be comma-separated keys of at least 32 printable characters each (${short || 'no'} key(s) do not qualify)`);
  return keys;
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
  const apiWorkers = read.integer('API_WORKERS', 1, 1, 64);
  // Each worker is its own process: a memory store would give every worker its own allowance.
  if (apiWorkers > 1 && read.string('RATE_LIMIT_STORE') === 'memory') read.problems.push('API_WORKERS above 1 needs RATE_LIMIT_STORE=postgres (or unset)');
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) read.problems.push('DATABASE_URL must be a postgres:// URL');

  const adminApiKeys = readAdminApiKeys(read, nodeEnv);

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
    rateLimitStore: read.oneOf('RATE_LIMIT_STORE', ['memory', 'postgres'] as const, apiWorkers > 1 ? 'postgres' : 'memory'),
    apiWorkers,
    statusCacheEntries: read.integer('STATUS_CACHE_ENTRIES', 100_000, 0, 10_000_000),
    jobs: {
      enabled: read.oneOf('JOBS', ['on', 'off'] as const, 'on') === 'on',
      pollingMs: read.integer('JOBS_POLL_MS', 1000, 500, 60_000),
      poolMax: read.integer('JOBS_DATABASE_POOL_MAX', 4, 2, 100),
    },
    lifecycle: readLifecycle(read),
    rateLimits: readRateLimits(read),
    sandboxPort: read.integer('WECHAT_SANDBOX_PORT', 3100, 0, 65535),
    adminApiKeys,
    autoRefundPaidAfterCancel: read.boolean('AUTO_REFUND_PAID_AFTER_CANCEL', false),
    refundJobsIntervalSeconds: read.integer('REFUND_JOBS_INTERVAL_SECONDS', 60, 0, 3600),
    sandboxRefundProcessingMs: read.integer('WECHAT_SANDBOX_REFUND_PROCESSING_MS', 5000, 0, 24 * 3600 * 1000),
    mode: live ? 'live' : 'sandbox',
    wechatPayStartupCheck: read.boolean('WECHATPAY_STARTUP_CHECK', false),
    wechat: live ? readWechatPaySettings(read, { production: nodeEnv === 'production', now }) : undefined,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

function readLifecycle(read: EnvReader): LifecycleConfig {
  const scheduleText = read.string('RECONCILE_SCHEDULE', DEFAULT_RECONCILE_SCHEDULE) as string;
  const schedule = parseReconcileSchedule(scheduleText);
  if (typeof schedule === 'string') read.problems.push(`RECONCILE_SCHEDULE ${schedule}, e.g. ${DEFAULT_RECONCILE_SCHEDULE}`);
  return {
    reconcileScheduleMs: typeof schedule === 'string' ? [] : schedule,
    reconcileNudgeSeconds: read.integer('RECONCILE_NUDGE_SECONDS', 30, 1, 600),
    expirySweepSeconds: read.integer('EXPIRY_SWEEP_SECONDS', 15, 1, 3600),
    historyRetentionDays: read.integer('HISTORY_RETENTION_DAYS', 180, 1, 3650),
    // WeChat: refresh "at an interval of less than 12 hours"; 12 h is the longest accepted.
    certificateRefreshSeconds: read.integer('WECHATPAY_CERTIFICATE_REFRESH_SECONDS', 12 * 3600, 1, 12 * 3600),
  };
}

/** For entry points: the configuration, or every problem on stderr and exit code 1 (no stack trace for a typo). */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
