import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeApplication, type Application, type CompositionInput } from './composition-root';
import type { AppConfig, WechatPaySettings } from './config/env';
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
  /** Default: ADMIN_API_KEYS. */
  operatorKeys?: readonly string[];
}

export interface RunningPaymentApi {
  url: string;
  port: number;
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

/** Connects to PostgreSQL, applies migrations (unless MIGRATE_ON_START=false), and serves the API until `stop()`. */
export async function startPaymentApi(options: PaymentApiOptions): Promise<RunningPaymentApi> {
  const { config, logger } = options;
  const orm = await connectOrm(options.databaseUrl, logger, config.databasePoolMax);
  if (config.migrateOnStart) {
    const applied = await migrate(orm, logger);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  }
  const operatorKeys = options.operatorKeys ?? config.adminApiKeys ?? [];
  if (operatorKeys.length === 0) logger.warn('no operator keys: every /admin request is refused (set ADMIN_API_KEYS)');
  const application = composeApplication({ ...options, operatorKeys, orm, clock: options.clock ?? (() => new Date()) });
  const server = createServer(application.app);
  const port = await listen(server, config.host, config.port);
  return {
    url: `http://${config.host}:${port}`,
    port,
    metrics: application.metrics,
    services: application.services,
    async stop() {
      // Stop accepting, let in-flight requests finish, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await orm.close();
    },
  };
}
