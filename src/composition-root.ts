import type { RequestListener } from 'node:http';
import { createAdminService, type AdminService } from './admin/admin-service';
import { OperatorAuditRepository } from './admin/operator-audit-repository';
import { createOperatorKeys } from './admin/operator-keys';
import { createAuthService, type AuthService } from './auth/auth-service';
import { createTravelerTokens } from './auth/traveler-tokens';
import { UsersRepository } from './auth/users-repository';
import { createWechatLoginClient } from './auth/wechat-login-client';
import { refundNotifyUrlOf, type AppConfig, type WechatPaySettings } from './config/env';
import { createApp } from './http/app';
import { createJobQueue, type JobQueue } from './jobs/job-queue';
import type { Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import type { OrderStatusCache } from './persistence/order-status-cache';
import { OrdersRepository } from './orders/orders-repository';
import { createOrdersService, type OrdersService } from './orders/orders-service';
import { PaymentNotificationsRepository } from './payments/payment-notifications-repository';
import { createPaymentJobs } from './payments/payment-jobs';
import { registerPaymentWorkers } from './payments/payment-workers';
import { createPaymentsService, type PaymentsService } from './payments/payments-service';
import { registerRetention } from './retention/register-retention';
import { RetentionRepository } from './retention/retention-repository';
import { createStatusPollLimiter } from './payments/status-poll-limiter';
import { createRequestLimiters } from './rate-limits/request-limiters';
import { createDatabaseTransactions } from './persistence/database-transactions';
import { createReadinessCheck } from './persistence/database-readiness';
import type { Orm } from './persistence/orm';
import { registerRefundJobs } from './refunds/refund-jobs';
import { RefundsRepository } from './refunds/refunds-repository';
import { createRefundsService, type RefundsService } from './refunds/refunds-service';
import { jsapiOptionsFromSettings } from './payments/jsapi-from-settings';
import {
  createJsapiService,
  createRefundService,
  type CallOutcome,
  type JsapiService,
  type RefundService,
  type WechatPayVerificationKeys,
} from './wechatpay-sdk';
import { createCertificateRefreshFromSettings } from './payments/certificate-refresh-from-settings';
import type { PlatformCertificateRefresh } from './payments/refresh-platform-certificates';

export interface CompositionInput {
  config: AppConfig;
  logger: Logger;
  orm: Orm;
  /** The job queue connects to the same database with its own small pool. */
  databaseUrl: string;
  /** False for an instance that only queues jobs (`JOBS=off`); `npm run worker` always runs them. */
  runsJobs: boolean;
  jwtSecret: string;
  wechatPaySettings: WechatPaySettings;
  clock: () => Date;
  /** Kept true by the order change listener (start-payment-api); absent: every poll reads the database. */
  statusCache?: OrderStatusCache;
  /** Tests may wrap the real service (e.g. to cut the database connection right after WeChat answers). */
  wrapJsapi?: (jsapi: JsapiService) => JsapiService;
  /** Operator API keys; none: every `/admin` request is refused. */
  operatorKeys?: readonly string[];
}

export interface Application {
  app: RequestListener;
  metrics: Metrics;
  /** Not started: the entry point starts it after composing and stops it before the database. */
  jobs: JobQueue;
  /** Not started either: platform certificate downloads on this instance (a no-op in public-key mode). */
  certificates: PlatformCertificateRefresh;
  services: { auth: AuthService; orders: OrdersService; payments: PaymentsService; refunds: RefundsService; admin: AdminService };
}

/** The WeChat Pay SDK, built once: one signer, the parsed keys, metrics and logs through its hooks. */
function buildJsapi(input: CompositionInput, metrics: Metrics): { jsapi: JsapiService; refundApi: RefundService; keys: WechatPayVerificationKeys } {
  const options = jsapiOptionsFromSettings(input.wechatPaySettings);
  const hooks = { logger: input.logger.child({ component: 'wechatpay' }), onCall: (call: CallOutcome) => metrics.wechatPayCalls.inc({ ...call }) };
  const jsapi = createJsapiService({ ...options, clock: input.clock, hooks });
  const refundApi = createRefundService({ ...options, clock: input.clock, hooks });
  return { jsapi: input.wrapJsapi ? input.wrapJsapi(jsapi) : jsapi, refundApi, keys: options.keys };
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
  const { jsapi, refundApi, keys } = buildJsapi(input, metrics);
  const certificates = createCertificateRefreshFromSettings({
    settings,
    keys,
    metrics,
    logger,
    clock,
    intervalSeconds: config.lifecycle.certificateRefreshSeconds,
  });
  const jobs = createJobQueue({
    databaseUrl: input.databaseUrl,
    logger: logger.child({ component: 'jobs' }),
    metrics,
    runsJobs: input.runsJobs,
    pollingMs: config.jobs.pollingMs,
    poolMax: config.jobs.poolMax,
  });

  const lifecycle = config.lifecycle;
  const paymentJobs = createPaymentJobs(jobs, { scheduleMs: lifecycle.reconcileScheduleMs, nudgeSeconds: lifecycle.reconcileNudgeSeconds, logger });
  const reconcileDeps = { orders, transactions, jsapi, merchant: settings, metrics, logger: logger.child({ component: 'reconciler' }), clock };
  registerPaymentWorkers(jobs, reconcileDeps, paymentJobs, { expirySweepSeconds: lifecycle.expirySweepSeconds });
  registerRetention(jobs, { repository: new RetentionRepository(root), metrics, logger, clock, historyRetentionDays: lifecycle.historyRetentionDays });
  metrics.sources.statusCacheEntries = () => input.statusCache?.size ?? 0;
  metrics.sources.oldestOpenTransactionSeconds = async () => {
    const oldest = await orders.oldestOpenTransactionCreatedAt();
    return oldest ? Math.max(0, (clock().getTime() - oldest.getTime()) / 1000) : 0;
  };

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
    paymentJobs,
    metrics,
    logger: logger.child({ component: 'payments' }),
    clock,
    sessionReuseSeconds: config.sessionReuseSeconds,
  });

  const limiters = createRequestLimiters({ kind: config.rateLimitStore, knex: root.getConnection().getKnex() }, config.rateLimits, (limit) =>
    metrics.requestsLimited.inc({ limit }),
  );

  const refunds = createRefundsService({
    orders,
    refunds: new RefundsRepository(root),
    notifications,
    transactions,
    refundApi,
    keys,
    merchant: settings,
    metrics,
    logger: logger.child({ component: 'refunds' }),
    clock,
    refundNotifyUrl: refundNotifyUrlOf(settings),
  });
  registerRefundJobs(jobs, refunds, {
    autoRefundPaidAfterCancel: config.autoRefundPaidAfterCancel,
    intervalSeconds: config.refundJobsIntervalSeconds,
    logger: logger.child({ component: 'refunds' }),
  });
  const admin = createAdminService({
    keys: createOperatorKeys(input.operatorKeys ?? []),
    orders,
    refunds,
    audit: new OperatorAuditRepository(root),
    metrics,
    clock,
  });

  const services = { auth, orders: ordersService, payments, refunds, admin };
  const app = createApp({
    ...services,
    readiness: createReadinessCheck(orm),
    metrics,
    logger,
    validateResponses: config.validateResponses,
    trustProxy: config.trustProxy,
    limiters,
  });
  return { app, metrics, jobs, certificates, services };
}
