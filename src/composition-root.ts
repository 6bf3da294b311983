import type { Express } from 'express';
import { createAuthService, type AuthService } from './auth/auth-service';
import { createTravelerTokens } from './auth/traveler-tokens';
import { UsersRepository } from './auth/users-repository';
import { createWechatLoginClient } from './auth/wechat-login-client';
import type { AppConfig, WechatPaySettings } from './config/env';
import { createApp } from './http/app';
import type { Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import type { OrderStatusCache } from './persistence/order-status-cache';
import { OrdersRepository } from './orders/orders-repository';
import { createOrdersService, type OrdersService } from './orders/orders-service';
import { PaymentNotificationsRepository } from './payments/payment-notifications-repository';
import { createPaymentsService, type PaymentsService } from './payments/payments-service';
import { createStatusPollLimiter } from './payments/status-poll-limiter';
import { createDatabaseTransactions } from './persistence/database-transactions';
import { createReadinessCheck } from './persistence/database-readiness';
import type { Orm } from './persistence/orm';
import { jsapiOptionsFromSettings } from './payments/jsapi-from-settings';
import { createJsapiService, type CallOutcome, type JsapiService, type WechatPayVerificationKeys } from './wechatpay-sdk';

export interface CompositionInput {
  config: AppConfig;
  logger: Logger;
  orm: Orm;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  clock: () => Date;
  /** Kept true by the order change listener (start-payment-api); absent: every poll reads the database. */
  statusCache?: OrderStatusCache;
  /** Tests may wrap the real service (e.g. to cut the database connection right after WeChat answers). */
  wrapJsapi?: (jsapi: JsapiService) => JsapiService;
}

export interface Application {
  app: Express;
  metrics: Metrics;
  services: { auth: AuthService; orders: OrdersService; payments: PaymentsService };
}

/** The WeChat Pay SDK, built once: one signer, the parsed keys, metrics and logs through its hooks. */
function buildJsapi(input: CompositionInput, metrics: Metrics): { jsapi: JsapiService; keys: WechatPayVerificationKeys } {
  const options = jsapiOptionsFromSettings(input.wechatPaySettings);
  const hooks = { logger: input.logger.child({ component: 'wechatpay' }), onCall: (call: CallOutcome) => metrics.wechatPayCalls.inc({ ...call }) };
  const jsapi = createJsapiService({ ...options, clock: input.clock, hooks });
  return { jsapi: input.wrapJsapi ? input.wrapJsapi(jsapi) : jsapi, keys: options.keys };
}

/** The one place the application is put together: config → repositories → services → HTTP app. */
export function composeApplication(input: CompositionInput): Application {
  const { config, logger, orm, clock, wechatPaySettings: settings } = input;
  const metrics = createMetrics();
  const root = orm.em;
  const transactions = createDatabaseTransactions(root);
  const orders = new OrdersRepository(root, input.statusCache);
  const users = new UsersRepository(root);
  const notifications = new PaymentNotificationsRepository();
  const { jsapi, keys } = buildJsapi(input, metrics);

  const tokens = createTravelerTokens(input.jwtSecret, config.jwtTtlSeconds);
  const auth = createAuthService({ users, tokens, clock, wechatLogin: createWechatLoginClient(settings, logger) });
  const ordersService = createOrdersService({ orders, transactions, clock, metrics, seatLockMinutes: config.seatLockMinutes });
  const pollLimiter = createStatusPollLimiter(config.rateLimitStore, root.getConnection().getKnex(), () => metrics.statusPollsLimited.inc());
  const payments = createPaymentsService({
    orders,
    notifications,
    transactions,
    jsapi,
    keys,
    merchant: settings,
    pollLimiter,
    metrics,
    clock,
    sessionReuseSeconds: config.sessionReuseSeconds,
  });

  const services = { auth, orders: ordersService, payments };
  const app = createApp({ ...services, readiness: createReadinessCheck(orm), metrics, logger, validateResponses: config.validateResponses });
  return { app, metrics, services };
}
