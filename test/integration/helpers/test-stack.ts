import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config/env';
import { createLogger, type Logger } from '../../../src/observability/logger';
import { createSandboxCredentials, startSandbox, type RunningSandbox, type SandboxCredentials } from '../../../sandbox';
import type { WechatPaySettings } from '../../../src/config/env';
import type { SandboxKeyMode, SigningMode } from '../../../sandbox';
import { connectOrm, type Orm } from '../../../src/persistence/orm';
import { startPaymentApi, type PaymentApiOptions, type RunningPaymentApi } from '../../../src/start-payment-api';

/** A clock tests can move: the API and the sandbox share it, so signatures stay within ±300 s of each other. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface TestStack {
  sandbox: RunningSandbox;
  apis: RunningPaymentApi[];
  api: RunningPaymentApi;
  clock: TestClock;
  /** The test's own connection to the same database, for arranging and inspecting rows. */
  database: Orm;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  instances?: number;
  keyMode?: SandboxKeyMode;
  /** Which of its keys the sandbox signs with (default: its public key). */
  signingMode?: SigningMode;
  env?: Record<string, string>;
  timeoutMs?: number;
  wrapJsapi?: PaymentApiOptions['wrapJsapi'];
  /** Where the API and the sandbox log (default: nowhere, or TEST_LOG_LEVEL to stdout). */
  logger?: Logger;
  /** Default: one set per test file. `withRotatedKeys(…)` adds second keys for rotation tests. */
  credentials?: SandboxCredentials;
  /** The sandbox signs with `credentials.rotated`. */
  signWithRotatedKeys?: boolean;
  /** Changes the API's WeChat Pay settings (keys configured during a rotation, a wrong key…). */
  adjustSettings?: (settings: WechatPaySettings) => WechatPaySettings;
  /** How long the sandbox keeps a refund PROCESSING (default 50 ms). */
  refundProcessingMs?: number;
  /** Where refund notifications go (default: the API's `/refunds/wechat/notify`). */
  refundNotifyUrl?: string;
  /** Another database than the shared test one (a fresh one, for jobs that sweep whole tables). */
  databaseUrl?: string;
}

/** The operator key every test stack accepts (ADMIN_API_KEYS), unless a test sets its own. */
export const TEST_OPERATOR_KEY = 'test-operator-key-0123456789abcdef0123456789';

// Generating RSA keys and certificates is slow: once per test file is enough.
const credentials = createSandboxCredentials();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The sandbox WeChat Pay and one or more API instances on 127.0.0.1, sharing the test database.
 * Notification retries run at 1/1000 of WeChat's schedule.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const clock = new TestClock();
  const logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const sandbox = await startSandbox({
    credentials: options.credentials ?? credentials,
    port: 0,
    logger,
    timeScale: 0.001,
    clock: clock.now,
    signingMode: options.signingMode,
    signWithRotatedKeys: options.signWithRotatedKeys,
    refundProcessingMs: options.refundProcessingMs ?? 50,
  });
  const apis: RunningPaymentApi[] = [];
  try {
    for (let i = 0; i < (options.instances ?? 1); i++) {
      const port = await freePort();
      const config = loadConfig({
        NODE_ENV: 'test',
        PORT: String(port),
        METRICS_PORT: '0',
        // Tests send bursts no traveler sends (50 parallel sessions, dozens of orders for one traveler), all from
        // 127.0.0.1; rate-limits.test.ts sets the limits it checks.
        RATE_LIMIT_LOGINS: '100000/60',
        RATE_LIMIT_ORDERS: '100000/600',
        RATE_LIMIT_SESSIONS: '100000/60',
        LOG_LEVEL: 'silent',
        DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL,
        ADMIN_API_KEYS: TEST_OPERATOR_KEY,
        // Jobs off unless a test turns them on: test files share one database, and one file's expiry sweep (on its own
        // moved clock) must not close another file's orders. Tests of the jobs use a database of their own.
        JOBS: 'off',
        JOBS_POLL_MS: '500',
        // The refund jobs sweep the whole database, which test files share: only tests that want them run them.
        REFUND_JOBS_INTERVAL_SECONDS: '0',
        ...options.env,
      });
      const settings = {
        ...sandbox.wechatPaySettings({
          notifyUrl: `http://127.0.0.1:${port}/payments/wechat/notify`,
          keyMode: options.keyMode ?? 'public-key',
          timeoutMs: options.timeoutMs ?? 1500,
        }),
        refundNotifyUrl: options.refundNotifyUrl,
      };
      apis.push(
        await startPaymentApi({
          config,
          logger,
          databaseUrl: config.databaseUrl as string,
          jwtSecret: 'test-secret-that-is-at-least-32-characters-long',
          wechatPaySettings: options.adjustSettings ? options.adjustSettings(settings) : settings,
          clock: clock.now,
          wrapJsapi: options.wrapJsapi,
        }),
      );
    }
  } catch (err) {
    await Promise.all(apis.map((api) => api.stop()));
    await sandbox.close();
    throw err;
  }
  const database = await connectOrm(options.databaseUrl ?? options.env?.DATABASE_URL ?? (process.env.DATABASE_URL as string), logger, 4);
  return {
    sandbox,
    apis,
    api: apis[0] as RunningPaymentApi,
    clock,
    database,
    async stop() {
      await Promise.all(apis.map((api) => api.stop()));
      await database.close();
      await sandbox.close();
    },
  };
}
