import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeApplication, type Application, type CompositionInput } from './composition-root';
import type { AppConfig, WechatPaySettings } from './config/env';
import { startMetricsServer } from './http/metrics-server';
import { formatDoctorReport, runWechatPayDoctor } from './operations/wechat-pay-doctor';
import type { Logger } from './observability/logger';
import { connectOrm, migrate, type Orm } from './persistence/orm';
import { statusCacheHeapProblem } from './persistence/status-cache-heap-check';
import { startStatusCache, type RunningStatusCache } from './persistence/start-status-cache';

export interface PaymentApiOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  clock?: () => Date;
  wrapJsapi?: CompositionInput['wrapJsapi'];
  /** Default: ADMIN_API_KEYS. */
  operatorKeys?: readonly string[];
  /** A cluster worker: the primary serves the workers' summed metrics on the metrics listener, not each worker. */
  metricsServedByPrimary?: boolean;
}

export interface RunningPaymentApi {
  url: string;
  port: number;
  /** The metrics listener (METRICS_HOST:METRICS_PORT), separate from the API's port; empty on a cluster worker. */
  metricsUrl: string;
  metrics: Application['metrics'];
  jobs: Application['jobs'];
  /** Platform certificate downloads of this instance (`refresh()` downloads now). */
  certificates: Application['certificates'];
  services: Application['services'];
  /**
   * Resolves once this instance has heard of the next committed change to the order (at once when its status
   * cache is off or not listening): for a writer outside this instance that must read its own write here.
   */
  orderChangeHeard(orderId: string): Promise<void>;
  stop(): Promise<void>;
}

export interface OpenApplication {
  application: Application;
  /** Stops the job queue (running jobs finish first), then releases the database pool. */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** WECHATPAY_STARTUP_CHECK=true: the doctor's signed call before anything else; a bad answer fails the start. */
async function checkWechatPayAtStart(options: PaymentApiOptions): Promise<void> {
  if (!options.config.wechatPayStartupCheck) return;
  const report = await runWechatPayDoctor(options.wechatPaySettings, options.clock);
  if (!report.ok) throw new Error(`WeChat Pay start-up check failed (WECHATPAY_STARTUP_CHECK=true):\n${formatDoctorReport(report)}`);
  options.logger.info({ findings: report.findings }, 'WeChat Pay start-up check passed');
}

/**
 * Connects to PostgreSQL, applies migrations (unless MIGRATE_ON_START=false), composes the application and starts
 * its job queue: running jobs when `runsJobs`, only queueing them otherwise.
 */
export async function openApplication(options: PaymentApiOptions, runsJobs: boolean, statusCache?: RunningStatusCache): Promise<OpenApplication> {
  const { config, logger } = options;
  const orm: Orm = await connectOrm(options.databaseUrl, logger, config.databasePoolMax);
  let application: Application | undefined;
  try {
    if (config.migrateOnStart) {
      const applied = await migrate(orm, logger);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const operatorKeys = options.operatorKeys ?? config.adminApiKeys ?? [];
    application = composeApplication({ ...options, operatorKeys, orm, runsJobs, statusCache: statusCache?.cache, clock: options.clock ?? (() => new Date()) });
    await application.jobs.start();
    await application.certificates.start();
    const opened = application;
    return {
      application: opened,
      async close() {
        await opened.certificates.stop();
        await opened.jobs.stop();
        await orm.close();
      },
    };
  } catch (err) {
    await application?.certificates.stop();
    await application?.jobs.stop().catch(() => undefined);
    await orm.close();
    throw err;
  }
}

/** The API (and, unless JOBS=off, the jobs) until `stop()`. */
export async function startPaymentApi(options: PaymentApiOptions): Promise<RunningPaymentApi> {
  const { config } = options;
  await checkWechatPayAtStart(options);
  const heapProblem = statusCacheHeapProblem(config.statusCacheEntries);
  if (heapProblem) throw new Error(heapProblem);
  const statusCache = startStatusCache(config.statusCacheEntries, options.databaseUrl, options.logger);
  let opened: OpenApplication;
  try {
    opened = await openApplication(options, config.jobs.enabled, statusCache);
  } catch (err) {
    await statusCache.listener?.stop();
    throw err;
  }
  const { application } = opened;
  const close = async () => {
    await opened.close();
    await statusCache.listener?.stop();
  };
  if (application.services.admin.keyCount === 0) options.logger.warn('no operator keys: every /admin request is refused (set ADMIN_API_KEYS)');
  const { keepAliveMs, headersMs, requestMs } = config.httpTimeouts;
  const server = createServer({ headersTimeout: headersMs, requestTimeout: requestMs, keepAliveTimeout: keepAliveMs }, application.app);
  let port: number;
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>>;
  try {
    port = await listen(server, config.host, config.port);
    const { registry } = application.metrics;
    metricsServer = options.metricsServedByPrimary
      ? { url: '', port: 0, stop: async () => {} }
      : await startMetricsServer(config.metrics, { contentType: registry.contentType, render: () => registry.metrics() });
  } catch (err) {
    server.close();
    await close();
    throw err;
  }
  return {
    url: `http://${config.host}:${port}`,
    port,
    metricsUrl: metricsServer.url,
    metrics: application.metrics,
    jobs: application.jobs,
    certificates: application.certificates,
    services: application.services,
    orderChangeHeard: statusCache.orderChangeHeard,
    async stop() {
      // Stop accepting, let in-flight requests finish, then the jobs, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await metricsServer.stop();
      await close();
    },
  };
}
