import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeApplication, type Application, type CompositionInput } from './composition-root';
import type { AppConfig, WechatPaySettings } from './config/env';
import type { Logger } from './observability/logger';
import { OrderStatusCache } from './persistence/order-status-cache';
import { listenForOrderChanges, type OrderChangeListener } from './persistence/order-change-listener';
import { connectOrm, migrate } from './persistence/orm';

// PostgreSQL delivers every notification to a connected listener (a full queue fails the writer's commit instead);
// the age limit only bounds the harm of a loss nobody foresaw. Travelers poll every 3 s, so most entries are hit.
const STATUS_CACHE_MAX_AGE_MS = 120_000;

/** The status cache and the LISTEN connection that keeps it true; nothing is listened for when it is off. */
function startStatusCache(options: PaymentApiOptions) {
  const cache = new OrderStatusCache({ maxEntries: options.config.statusCacheEntries, maxAgeMs: STATUS_CACHE_MAX_AGE_MS });
  const waiters = new Map<string, (() => void)[]>();
  let listening = false;
  const wakeAll = () => {
    for (const resolves of waiters.values()) resolves.forEach((resolve) => resolve());
    waiters.clear();
  };
  const orderChangeHeard = (orderId: string) =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      waiters.set(orderId, [...(waiters.get(orderId) ?? []), resolve]);
    });
  if (options.config.statusCacheEntries === 0) return { cache, orderChangeHeard, listener: undefined as OrderChangeListener | undefined };
  const listener = listenForOrderChanges(
    options.databaseUrl,
    {
      changed(orderId) {
        cache.invalidate(orderId);
        waiters.get(orderId)?.forEach((resolve) => resolve());
        waiters.delete(orderId);
      },
      listening() {
        cache.startTrusting();
        listening = true;
      },
      lost() {
        listening = false;
        cache.stopTrusting();
        wakeAll();
      },
    },
    options.logger,
  );
  return { cache, orderChangeHeard, listener: listener as OrderChangeListener | undefined };
}

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
  metrics: Application['metrics'];
  services: Application['services'];
  /**
   * Resolves once this instance has heard of the next committed change to the order (at once when its status
   * cache is off or not listening): for a writer outside this instance that must read its own write here.
   */
  orderChangeHeard(orderId: string): Promise<void>;
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
  const statusCache = startStatusCache(options);
  const application = composeApplication({ ...options, orm, statusCache: statusCache.cache, clock: options.clock ?? (() => new Date()) });
  const server = createServer(application.app);
  const port = await listen(server, config.host, config.port);
  return {
    url: `http://${config.host}:${port}`,
    port,
    metrics: application.metrics,
    services: application.services,
    orderChangeHeard: statusCache.orderChangeHeard,
    async stop() {
      // Stop accepting, let in-flight requests finish, then release the pool.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await statusCache.listener?.stop();
      await orm.close();
    },
  };
}
