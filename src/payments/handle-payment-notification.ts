import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransactions } from '../persistence/database-transactions';
import {
  parseWechatPayNotification,
  readHeader,
  type WechatPayHeaders,
  type WechatPayNotificationEnvelope,
  type WechatPayVerificationKeys,
  type WechatTransaction,
} from '../wechatpay-sdk';
import { applyWechatTransaction, type TransactionOutcome } from './apply-wechat-transaction';
import type { PaymentNotificationsRepository } from './payment-notifications-repository';
import { FAILED, HANDLED, processClaimedNotification, REFUSED, type NotificationAnswer } from './process-claimed-notification';

export type { NotificationAnswer };

export type NotificationOutcome = TransactionOutcome | 'duplicate' | 'unknown_order' | 'ignored_event';

export interface HandleNotificationDeps {
  orders: OrdersRepository;
  notifications: PaymentNotificationsRepository;
  transactions: DatabaseTransactions;
  keys: WechatPayVerificationKeys;
  merchant: { appId: string; mchId: string; apiV3Key: string };
  metrics: Metrics;
  clock: () => Date;
}

/**
 * One database transaction per verified notification: claim its id (redeliveries stop here), lock the order,
 * and hand the transaction to the one function that applies WeChat's word to an order.
 */
async function applyNotification(
  deps: HandleNotificationDeps,
  logger: Logger,
  envelope: WechatPayNotificationEnvelope,
  transaction: WechatTransaction,
  now: Date,
): Promise<NotificationOutcome> {
  const claim = { id: envelope.id, eventType: envelope.event_type, outTradeNo: transaction.out_trade_no, now };
  // Every statement here is the repositories' own SQL: no unit of work to open, track or flush.
  const run = deps.transactions.runStatements;
  return processClaimedNotification({ run, notifications: deps.notifications }, claim, async (tx): Promise<Exclude<NotificationOutcome, 'duplicate'>> => {
    if (envelope.event_type !== 'TRANSACTION.SUCCESS') return 'ignored_event';
    const order = await deps.orders.lockByOutTradeNo(tx, transaction.out_trade_no);
    if (!order) return 'unknown_order';
    const applied = await applyWechatTransaction({ orders: deps.orders, merchant: deps.merchant, logger }, tx, order, transaction, {
      source: 'webhook',
      now,
      notificationId: envelope.id,
    });
    for (const field of applied.mismatches) deps.metrics.notificationsMismatch.inc({ field });
    return applied.outcome;
  });
}

function countOutcome(metrics: Metrics, outcome: NotificationOutcome): void {
  if (outcome === 'duplicate') metrics.notificationsDuplicate.inc();
  if (outcome === 'applied') metrics.notificationsApplied.inc();
  if (outcome === 'paid_after_cancel') metrics.paidAfterCancel.inc();
}

/** WeChat Pay's notification, from raw bytes to the answer WeChat gets. Never trusts anything unverified. */
export async function handlePaymentNotification(
  deps: HandleNotificationDeps,
  logger: Logger,
  headers: WechatPayHeaders,
  rawBody: Buffer,
): Promise<NotificationAnswer> {
  deps.metrics.notificationsReceived.inc();
  const now = deps.clock();
  const parsed = parseWechatPayNotification({ keys: deps.keys, apiV3Key: deps.merchant.apiV3Key, headers, rawBody, now });
  if (!parsed.ok) {
    // Probes (WECHATPAY/SIGNTEST/) land here too: answering them 2xx would be a security defect.
    deps.metrics.notificationsRejected.inc({ reason: parsed.reason });
    logger.warn({ reason: parsed.reason, detail: parsed.detail, serial: readHeader(headers, 'Wechatpay-Serial') }, 'WeChat Pay notification refused');
    return REFUSED;
  }
  deps.metrics.notificationsVerified.inc();
  try {
    const outcome = await applyNotification(deps, logger, parsed.envelope, parsed.transaction, now);
    countOutcome(deps.metrics, outcome);
    logger.info({ notificationId: parsed.envelope.id, outcome }, 'WeChat Pay notification processed');
    return HANDLED;
  } catch (err) {
    logger.error({ err, notificationId: parsed.envelope.id }, 'WeChat Pay notification processing failed');
    return FAILED;
  }
}
