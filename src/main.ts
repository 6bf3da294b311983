import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { developmentOperatorKey } from './admin/development-operator-key';
import { loadConfigOrExit, type AppConfig, type WechatPaySettings } from './config/env';
import { createLogger, type Logger } from './observability/logger';
import { startEmbeddedPostgres } from './persistence/embedded-postgres';
import { PostgresUserCannotEnterError } from './persistence/embedded-postgres-access';
import { awaitWorkerStart, forkApiWorkers } from './api-cluster';
import { clusterMetricsSource, shareMetricsWithPrimary } from './observability/cluster-metrics';
import { startMetricsServer } from './http/metrics-server';
import { startPaymentApi } from './start-payment-api';

type Stop = () => Promise<void>;

/** Outside production a missing JWT_SECRET is generated once and kept under the data folder. */
function developmentJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function startDatabase(config: AppConfig, logger: Logger, stops: Stop[]): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  logger.info({ dataDir: config.dataDir }, 'no DATABASE_URL: starting embedded PostgreSQL');
  const postgres = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, logger, callerHandlesSignals: true });
  stops.unshift(postgres.stop);
  return postgres.url;
}

/**
 * In sandbox mode the local sandbox WeChat Pay plays WeChat; the API's code path is the same as live. The sandbox
 * is a development tool: loaded only here, on demand, so live mode never loads it (nor its dependencies).
 */
async function wechatPaySettings(config: AppConfig, logger: Logger, stops: Stop[]): Promise<WechatPaySettings> {
  if (config.wechat) return config.wechat;
  const { loadOrCreateSandboxCredentials, sandboxWechatPaySettings, startSandbox } = await import('../sandbox/index.js');
  const credentials = await loadOrCreateSandboxCredentials(join(config.dataDir, 'sandbox'));
  const sandbox = await startSandbox({
    credentials,
    port: config.sandboxPort,
    logger: logger.child({ component: 'sandbox' }),
    refundProcessingMs: config.sandboxRefundProcessingMs,
  });
  stops.unshift(() => sandbox.close());
  const notifyUrl = `http://${config.host}:${config.port}/payments/wechat/notify`;
  logger.info({ sandbox: sandbox.url }, 'sandbox mode: WeChat Pay is the local sandbox (no merchant settings given)');
  return sandboxWechatPaySettings(credentials, { baseUrl: sandbox.url, notifyUrl, keyMode: 'public-key' });
}

/** An API_WORKERS worker: serves only; the primary started the database and the sandbox and sends their settings. */
async function runWorker(config: AppConfig, logger: Logger, stops: Stop[]): Promise<void> {
  const start = await awaitWorkerStart();
  const api = await startPaymentApi({
    config,
    logger,
    databaseUrl: start.databaseUrl,
    jwtSecret: start.jwtSecret,
    wechatPaySettings: start.wechatPaySettings,
    operatorKeys: start.operatorKeys,
    metricsServedByPrimary: true,
  });
  stops.unshift(api.stop);
  shareMetricsWithPrimary(api.metrics.registry);
  logger.info({ url: api.url, worker: cluster.worker?.id }, 'payment API listening');
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const stops: Stop[] = [];
  let stopping = false;
  const shutdown = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    for (const stop of stops) await stop().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    if (cluster.isWorker) return await runWorker(config, logger, stops);
    const databaseUrl = await startDatabase(config, logger, stops);
    const settings = await wechatPaySettings(config, logger, stops);
    const jwtSecret = config.jwtSecret ?? developmentJwtSecret(config.dataDir);
    const operatorKeys = config.adminApiKeys ?? [developmentOperatorKey(config.dataDir, logger)];
    if (config.apiWorkers > 1) {
      // Embedded PostgreSQL and the sandbox run once, here; the workers share them, the job queue and the rate limit.
      stops.unshift(forkApiWorkers(config.apiWorkers, { kind: 'start', databaseUrl, jwtSecret, wechatPaySettings: settings, operatorKeys }, logger));
      const metricsServer = await startMetricsServer(config.metrics, clusterMetricsSource());
      stops.unshift(metricsServer.stop);
      logger.info({ workers: config.apiWorkers, rateLimitStore: config.rateLimitStore, metrics: metricsServer.url }, 'payment API primary: starting workers');
      return;
    }
    const api = await startPaymentApi({ config, logger, databaseUrl, jwtSecret, wechatPaySettings: settings, operatorKeys });
    stops.unshift(api.stop);
    logger.info({ url: api.url, metrics: api.metricsUrl, mode: config.mode, wechatPay: settings.payBaseUrl }, 'payment API listening');
  } catch (err) {
    if (err instanceof PostgresUserCannotEnterError) process.stderr.write(`${err.message}\n`);
    else logger.fatal({ err }, 'start-up failed');
    await shutdown('start-up failure', 1);
  }
}

void main();
