import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** Everything the WeChat Pay client and the login need; the same shape for the real WeChat Pay and the sandbox. */
export interface WechatPaySettings {
  appId: string;
  /** Mini Program AppSecret, for `jscode2session`. */
  appSecret: string;
  mchId: string;
  merchantSerialNo: string;
  merchantCertificatePem: string;
  merchantPrivateKeyPem: string;
  apiV3Key: string;
  /** WeChat Pay public key mode (`PUB_KEY_ID_…`). */
  wechatPayPublicKey?: { id: string; pem: string };
  /** Platform certificate mode, keyed by certificate serial. Both modes may be set during a migration. */
  platformCertificates: { serial: string; pem: string }[];
  notifyUrl: string;
  /** `https://api.mch.weixin.qq.com` in production. */
  payBaseUrl: string;
  /** `https://api.weixin.qq.com` in production (`jscode2session`). */
  wechatApiBaseUrl: string;
  timeoutMs: number;
}

export type RateLimitStore = 'memory' | 'postgres';

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  /** Absent: an embedded PostgreSQL under `.data/postgres`. */
  databaseUrl?: string;
  embeddedPostgresPort: number;
  dataDir: string;
  /** Absent outside production: a random secret is kept under `.data/`. */
  jwtSecret?: string;
  jwtTtlSeconds: number;
  validateResponses: boolean;
  seatLockMinutes: number;
  sessionReuseSeconds: number;
  rateLimitStore: RateLimitStore;
  sandboxPort: number;
  /** `sandbox` when no merchant settings are given: the local sandbox WeChat Pay plays WeChat. */
  mode: 'sandbox' | 'live';
  /** Only in live mode; sandbox mode builds its settings from the keys the sandbox generates. */
  wechat?: WechatPaySettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const MERCHANT_VARIABLES = [
  'WECHAT_APP_ID',
  'WECHAT_APP_SECRET',
  'WECHATPAY_MCH_ID',
  'WECHATPAY_MERCHANT_CERT',
  'WECHATPAY_MERCHANT_PRIVATE_KEY',
  'WECHATPAY_API_V3_KEY',
  'WECHATPAY_NOTIFY_URL',
] as const;

/** Collects every problem instead of stopping at the first, so one message names them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
  }

  url(name: string, fallback?: string): string {
    const value = fallback === undefined ? this.required(name) : (this.string(name, fallback) as string);
    if (value && !URL.canParse(value)) this.problems.push(`${name} must be an absolute URL, got "${value}"`);
    return value;
  }

  /** A PEM given inline (`-----BEGIN …`, `\n` escapes allowed) or as a file path. */
  pem(name: string, value: string): string {
    if (!value) return '';
    if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
    if (existsSync(value)) return readFileSync(value, 'utf8');
    this.problems.push(`${name} must be a PEM or the path of a PEM file; no file at "${value}"`);
    return '';
  }

  check(name: string, ok: () => boolean, message: string): void {
    try {
      if (ok()) return;
    } catch {
      // a parse failure is reported like any other malformed value
    }
    this.problems.push(`${name} ${message}`);
  }
}

function readWechatPaySettings(read: EnvReader): WechatPaySettings {
  const certificate = read.pem('WECHATPAY_MERCHANT_CERT', read.required('WECHATPAY_MERCHANT_CERT'));
  const privateKey = read.pem('WECHATPAY_MERCHANT_PRIVATE_KEY', read.required('WECHATPAY_MERCHANT_PRIVATE_KEY'));
  let serial = read.string('WECHATPAY_MERCHANT_SERIAL_NO');
  read.check('WECHATPAY_MERCHANT_CERT', () => {
    serial ??= new X509Certificate(certificate).serialNumber.toUpperCase();
    return true;
  }, 'is not a readable X.509 certificate');
  read.check('WECHATPAY_MERCHANT_PRIVATE_KEY', () => createPrivateKey(privateKey).asymmetricKeyType === 'rsa', 'is not an RSA private key');

  const apiV3Key = read.required('WECHATPAY_API_V3_KEY');
  if (apiV3Key && Buffer.byteLength(apiV3Key) !== 32) read.problems.push('WECHATPAY_API_V3_KEY must be exactly 32 bytes');

  const publicKeyId = read.string('WECHATPAY_PUBLIC_KEY_ID');
  const publicKeyValue = read.string('WECHATPAY_PUBLIC_KEY');
  let wechatPayPublicKey: WechatPaySettings['wechatPayPublicKey'];
  if (publicKeyId || publicKeyValue) {
    if (!publicKeyId?.startsWith('PUB_KEY_ID_')) read.problems.push('WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_ when WECHATPAY_PUBLIC_KEY is set');
    const pem = read.pem('WECHATPAY_PUBLIC_KEY', publicKeyValue ?? read.required('WECHATPAY_PUBLIC_KEY'));
    read.check('WECHATPAY_PUBLIC_KEY', () => createPublicKey(pem).asymmetricKeyType === 'rsa', 'is not an RSA public key');
    wechatPayPublicKey = { id: publicKeyId ?? '', pem };
  }

  const platformCertificates = (read.string('WECHATPAY_PLATFORM_CERTS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const pem = read.pem('WECHATPAY_PLATFORM_CERTS', entry);
      let serialNumber = '';
      read.check('WECHATPAY_PLATFORM_CERTS', () => Boolean((serialNumber = new X509Certificate(pem).serialNumber.toUpperCase())), `entry "${entry.slice(0, 40)}" is not a readable X.509 certificate`);
      return { serial: serialNumber, pem };
    });
  if (!wechatPayPublicKey && platformCertificates.length === 0) {
    read.problems.push('set WECHATPAY_PUBLIC_KEY with WECHATPAY_PUBLIC_KEY_ID, or WECHATPAY_PLATFORM_CERTS, or both: WeChat Pay responses cannot be verified otherwise');
  }

  const notifyUrl = read.url('WECHATPAY_NOTIFY_URL');
  if (notifyUrl && URL.canParse(notifyUrl) && new URL(notifyUrl).search) read.problems.push('WECHATPAY_NOTIFY_URL must not carry a query string (a WeChat Pay rule)');

  return {
    appId: read.required('WECHAT_APP_ID'),
    appSecret: read.required('WECHAT_APP_SECRET'),
    mchId: read.required('WECHATPAY_MCH_ID'),
    merchantSerialNo: serial ?? '',
    merchantCertificatePem: certificate,
    merchantPrivateKeyPem: privateKey,
    apiV3Key,
    wechatPayPublicKey,
    platformCertificates,
    notifyUrl,
    payBaseUrl: read.url('WECHATPAY_BASE_URL', 'https://api.mch.weixin.qq.com'),
    wechatApiBaseUrl: read.url('WECHAT_API_BASE_URL', 'https://api.weixin.qq.com'),
    timeoutMs: read.integer('WECHATPAY_TIMEOUT_MS', 5000, 100, 30000),
  };
}

/** Reads and validates the whole environment once; throws one ConfigError naming every problem. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const live = MERCHANT_VARIABLES.some((name) => read.string(name) !== undefined);
  const jwtSecret = read.string('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) read.problems.push('JWT_SECRET must be at least 32 characters');
  if (jwtSecret === undefined && nodeEnv === 'production') read.problems.push('JWT_SECRET is required in production');
  if (!live && nodeEnv === 'production') read.problems.push(`production needs the merchant settings (${MERCHANT_VARIABLES.join(', ')}); the sandbox is for development and tests`);
  const databaseUrl = read.string('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) read.problems.push('DATABASE_URL must be a postgres:// URL');

  const config: AppConfig = {
    nodeEnv,
    host: read.string('HOST', '127.0.0.1') as string,
    port: read.integer('PORT', 3000, 0, 65535),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    databaseUrl,
    embeddedPostgresPort: read.integer('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    dataDir: read.string('DATA_DIR', '.data') as string,
    jwtSecret,
    jwtTtlSeconds: read.integer('JWT_TTL_SECONDS', 7200, 60, 86400 * 30),
    validateResponses: read.boolean('VALIDATE_RESPONSES', nodeEnv !== 'production'),
    seatLockMinutes: read.integer('SEAT_LOCK_MINUTES', 15, 3, 24 * 60),
    sessionReuseSeconds: read.integer('PAYMENT_SESSION_REUSE_SECONDS', 600, 1, 7000),
    rateLimitStore: read.oneOf('RATE_LIMIT_STORE', ['memory', 'postgres'] as const, 'memory'),
    sandboxPort: read.integer('WECHAT_SANDBOX_PORT', 3100, 0, 65535),
    mode: live ? 'live' : 'sandbox',
    wechat: live ? readWechatPaySettings(read) : undefined,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
