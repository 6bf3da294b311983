import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeApplication, type Application, type CompositionInput } from './composition-root';
import type { AppConfig, WechatPaySettings } from './config/env';
import type { Logger } from './observability/logger';
import { connectOrm, migrate, type Orm } from './persistence/orm';

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
}

export interface RunningPaymentApi {
  url: string;
  port: number;
  metrics: Application['metrics'];
  jobs: Application['jobs'];
  services: Application['services'];
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

/**
 * Connects to PostgreSQL, applies migrations (unless MIGRATE_ON_START=false), composes the application and starts
 * its job queue: running jobs when `runsJobs`, only queueing them otherwise.
 */
export async function openApplication(options: PaymentApiOptions, runsJobs: boolean): Promise<OpenApplication> {
  const { config, logger } = options;
  const orm: Orm = await connectOrm(options.databaseUrl, logger, config.databasePoolMax);
  let application: Application | undefined;
  try {
    if (config.migrateOnStart) {
      const applied = await migrate(orm, logger);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const operatorKeys = options.operatorKeys ?? config.adminApiKeys ?? [];
    application = composeApplication({ ...options, operatorKeys, orm, runsJobs, clock: options.clock ?? (() => new Date()) });
    await application.jobs.start();
    const opened = application;
    return {
      application: opened,
      async close() {
        await opened.jobs.stop();
        await orm.close();
      },
    };
  } catch (err) {
    await application?.jobs.stop().catch(() => undefined);
    await orm.close();
    throw err;
  }
}

/** The API (and, unless JOBS=off, the jobs) until `stop()`. */
export async function startPaymentApi(options: PaymentApiOptions): Promise<RunningPaymentApi> {
  const { config } = options;
  const { application, close } = await openApplication(options, config.jobs.enabled);
  if (application.services.admin.keyCount === 0) options.logger.warn('no operator keys: every /admin request is refused (set ADMIN_API_KEYS)');
  const server = createServer(application.app);
  let port: number;
  try {
    port = await listen(server, config.host, config.port);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url: `http://${config.host}:${port}`,
    port,
    metrics: application.metrics,
    jobs: application.jobs,
    services: application.services,
    async stop() {
      // Stop accepting, let in-flight requests finish, then the jobs, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await close();
    },
  };
}
