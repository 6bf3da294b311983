import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeApplication, type Application, type CompositionInput } from './composition-root';
import type { AppConfig, WechatPaySettings } from './config/env';
import { startMetricsServer } from './http/metrics-server';
import { formatDoctorReport, runWechatPayDoctor } from './operations/wechat-pay-doctor';
import type { Logger } from './observability/logger';
import { connectOrm, migrate } from './persistence/orm';

export interface PaymentApiOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  clock?: () => Date;
  wrapJsapi?: CompositionInput['wrapJsapi'];
}

export interface RunningPaymentApi {
  url: string;
  port: number;
  /** The metrics listener (METRICS_HOST:METRICS_PORT), separate from the API's port. */
  metricsUrl: string;
  metrics: Application['metrics'];
  services: Application['services'];
  stop(): Promise<void>;
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

/** Connects to PostgreSQL, applies migrations (unless MIGRATE_ON_START=false), and serves the API until `stop()`. */
export async function startPaymentApi(options: PaymentApiOptions): Promise<RunningPaymentApi> {
  const { config, logger } = options;
  await checkWechatPayAtStart(options);
  const orm = await connectOrm(options.databaseUrl, logger, config.databasePoolMax);
  if (config.migrateOnStart) {
    const applied = await migrate(orm, logger);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const application = composeApplication({ ...options, orm, clock: options.clock ?? (() => new Date()) });
  const { keepAliveMs, headersMs, requestMs } = config.httpTimeouts;
  const server = createServer({ headersTimeout: headersMs, requestTimeout: requestMs, keepAliveTimeout: keepAliveMs }, application.app);
  const port = await listen(server, config.host, config.port);
  const { registry } = application.metrics;
  const metricsServer = await startMetricsServer(config.metrics, { contentType: registry.contentType, render: () => registry.metrics() });
  return {
    url: `http://${config.host}:${port}`,
    port,
    metricsUrl: metricsServer.url,
    metrics: application.metrics,
    services: application.services,
    async stop() {
      // Stop accepting, let in-flight requests finish, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await metricsServer.stop();
      await orm.close();
    },
  };
}
