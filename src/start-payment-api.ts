import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTravelerTokens } from './auth/traveler-tokens';
import { createWechatLoginClient } from './auth/wechat-login-client';
import type { AppConfig, WechatPaySettings } from './config/env';
import type { AppDeps } from './http/app-deps';
import { createApp } from './http/app';
import type { Logger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { connectOrm, migrate } from './persistence/orm';
import { createWechatPayClient } from './wechatpay/wechatpay-client';
import type { WechatPayGateway } from './wechatpay/wechatpay-gateway';

export interface PaymentApiOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  clock?: () => Date;
  /** Tests may wrap the real client (e.g. to cut the database connection right after WeChat answers). */
  wrapWechatPay?: (client: WechatPayGateway) => WechatPayGateway;
}

export interface RunningPaymentApi {
  url: string;
  port: number;
  deps: AppDeps;
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
  const clock = options.clock ?? (() => new Date());
  const metrics = createMetrics();
  const client = createWechatPayClient(options.wechatPaySettings, { logger: logger.child({ component: 'wechatpay' }), now: clock, metrics });
  const deps: AppDeps = {
    config,
    orm,
    logger,
    metrics,
    clock,
    tokens: createTravelerTokens(options.jwtSecret, config.jwtTtlSeconds),
    wechatLogin: createWechatLoginClient(options.wechatPaySettings, logger),
    wechatPaySettings: options.wechatPaySettings,
    wechatPay: options.wrapWechatPay ? options.wrapWechatPay(client) : client,
  };
  const server = createServer(createApp(deps));
  const port = await listen(server, config.host, config.port);
  return {
    url: `http://${config.host}:${port}`,
    port,
    deps,
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
