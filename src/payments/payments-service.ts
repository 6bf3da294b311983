import type { Traveler } from '../auth/traveler-tokens';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransactions } from '../persistence/database-transactions';
import { worstCaseCallMs, type JsapiService, type WechatPayHeaders, type WechatPayVerificationKeys } from '../wechatpay-sdk';
import { createPaymentSession, type PaymentSession } from './create-payment-session';
import { getPaymentStatus, type PaymentStatus } from './get-payment-status';
import { applyPaymentNotification, applyPaymentNotificationGroup, type AppliedNotification, type VerifiedNotification } from './apply-payment-notification';
import { GroupCommitQueue } from './group-commit-queue';
import { handlePaymentNotification, type NotificationAnswer } from './handle-payment-notification';
import type { PaymentNotificationsRepository } from './payment-notifications-repository';
import type { PaymentJobs } from './payment-jobs';
import { PerOrderQueue } from './per-order-queue';
import type { StatusPollLimiter } from './status-poll-limiter';

export interface PaymentsServiceDeps {
  orders: OrdersRepository;
  notifications: PaymentNotificationsRepository;
  transactions: DatabaseTransactions;
  jsapi: JsapiService;
  keys: WechatPayVerificationKeys;
  merchant: { appId: string; mchId: string; notifyUrl: string; apiV3Key: string; timeoutMs: number };
  pollLimiter: StatusPollLimiter;
  paymentJobs: PaymentJobs;
  metrics: Metrics;
  /** For what concerns no one request (a failed notification group). */
  logger: Logger;
  clock: () => Date;
  sessionReuseSeconds: number;
}

export interface PaymentsService {
  /** `wx.requestPayment` parameters for a pending order of this traveler. */
  createSession(traveler: Traveler, request: { order_id: string; openid?: string }, logger: Logger): Promise<PaymentSession>;
  /** The stored status, after the traveler's poll allowance is checked. */
  getStatus(traveler: Traveler, orderId: string): Promise<PaymentStatus>;
  /** WeChat Pay's notification, from raw bytes to the answer WeChat gets. */
  handleNotification(headers: WechatPayHeaders, rawBody: Buffer, logger: Logger): Promise<NotificationAnswer>;
}

/**
 * Concurrent notifications share a transaction, a few transactions at a time: each statement's round trip to
 * PostgreSQL, not the database, is what a notification costs, and a group pays it once for all its members.
 */
const NOTIFICATION_GROUP_SIZE = 32;
const NOTIFICATION_GROUPS_IN_FLIGHT = 2;

/** Built once at start: the per-order queue and the lock timeout live as long as the service. */
export function createPaymentsService(deps: PaymentsServiceDeps): PaymentsService {
  const queue = new PerOrderQueue();
  // A waiter must outlast the holder's WeChat call (timeouts, retries, backoff), plus a margin for the database.
  const lockTimeoutMs = worstCaseCallMs(deps.merchant.timeoutMs) + 2000;
  const notificationGroups = new GroupCommitQueue<VerifiedNotification, AppliedNotification>({
    maxSize: NOTIFICATION_GROUP_SIZE,
    maxInFlight: NOTIFICATION_GROUPS_IN_FLIGHT,
    applyGroup: (notifications) => applyPaymentNotificationGroup(deps, notifications),
    applyOne: (notification) => applyPaymentNotification(deps, notification),
    onGroupDone: ({ size, error }) => {
      deps.metrics.notificationGroups.inc({ outcome: error === undefined ? 'committed' : 'retried_alone' });
      if (error !== undefined) deps.logger.warn({ err: error, size }, 'notification group failed: each notification is applied on its own');
    },
  });
  // Only successes are grouped; any other event type is recorded alone, as `ignored_event`.
  const applyNotification = (notification: VerifiedNotification) =>
    notification.envelope.event_type === 'TRANSACTION.SUCCESS' ? notificationGroups.submit(notification) : applyPaymentNotification(deps, notification);
  return {
    async createSession(traveler, request, logger) {
      const sessionDeps = { ...deps, logger, queue, lockTimeoutMs, reuseSeconds: deps.sessionReuseSeconds };
      const stored = await createPaymentSession(sessionDeps, traveler, request);
      // Stored as JSON.stringify wrote it: parsing and writing again gives every repeat the same bytes.
      return JSON.parse(stored) as PaymentSession;
    },
    async getStatus(traveler, orderId) {
      await deps.pollLimiter.consume(traveler.userId, orderId);
      return getPaymentStatus(deps.orders, traveler, orderId, deps.paymentJobs.nudgeReconciler);
    },
    handleNotification(headers, rawBody, logger) {
      return handlePaymentNotification({ ...deps, applyNotification }, logger, headers, rawBody);
    },
  };
}
