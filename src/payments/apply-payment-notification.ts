import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { WechatPaySettings } from '../config/env';
import { maskOpenid, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { Order } from '../persistence/entities/order';
import type { WechatPayNotificationEnvelope } from '../wechatpay/parse-wechatpay-notification';
import type { WechatTransaction } from '../wechatpay/wechatpay-gateway';
import { findTransactionMismatches, paidAtOf } from './check-wechat-transaction';
import { effectiveStatus } from './get-payment-status';
import { flagPaidAfterCancel, recordPaymentEvent, transitionOrderStatus } from './transition-order-status';

export type NotificationOutcome = 'applied' | 'duplicate' | 'unknown_order' | 'mismatch' | 'not_success' | 'already_paid' | 'paid_after_cancel' | 'ignored_event';

export interface ApplyNotificationDeps {
  em: EntityManager;
  settings: Pick<WechatPaySettings, 'appId' | 'mchId'>;
  metrics: Metrics;
  logger: Logger;
  now: Date;
}

/** Records the notification id; false when it was recorded before (a redelivery). */
async function claimNotification(em: EntityManager, envelope: WechatPayNotificationEnvelope, outTradeNo: string, now: Date): Promise<boolean> {
  const rows: unknown[] = await em.execute(
    `insert into payment_notifications (id, event_type, out_trade_no, outcome, received_at) values (?, ?, ?, 'received', ?)
     on conflict (id) do nothing returning id`,
    [envelope.id, envelope.event_type, outTradeNo, now],
  );
  return rows.length === 1;
}

async function applyToOrder(deps: ApplyNotificationDeps, em: EntityManager, order: Order, envelope: WechatPayNotificationEnvelope, transaction: WechatTransaction): Promise<NotificationOutcome> {
  const event = { source: 'webhook' as const, now: deps.now, notificationId: envelope.id };
  const mismatches = findTransactionMismatches(transaction, order, deps.settings);
  if (mismatches.length > 0) {
    for (const field of mismatches) deps.metrics.notificationsMismatch.inc({ field });
    deps.logger.error({ orderId: order.id, mismatches, payer: maskOpenid(transaction.payer?.openid) }, 'verified notification disagrees with our records: not marking paid');
    recordPaymentEvent(em, order, { ...event, event: 'transaction_mismatch', detail: { mismatches, amount: transaction.amount, transaction_id: transaction.transaction_id } });
    return 'mismatch';
  }
  if (transaction.trade_state !== 'SUCCESS') {
    recordPaymentEvent(em, order, { ...event, event: 'notification_not_success', detail: { trade_state: transaction.trade_state } });
    return 'not_success';
  }
  if (order.status === 'paid') {
    recordPaymentEvent(em, order, { ...event, event: 'payment_confirmed_again', detail: { transaction_id: transaction.transaction_id } });
    return 'already_paid';
  }
  const payment = { paymentStatus: 'SUCCESS', wechatTransactionId: transaction.transaction_id, paidAt: paidAtOf(transaction, deps.now) };
  // Once the seat lock has ended the order reads as cancelled, and a state shown as terminal never changes:
  // a payment notified after that (even one made in time) keeps it cancelled and is flagged for a refund.
  const paidInTime = effectiveStatus(order, deps.now) === 'pending' && payment.paidAt.getTime() <= order.lockExpireAt.getTime();
  if (order.status === 'pending' && paidInTime) {
    await transitionOrderStatus(em, order, 'paid', { ...event, event: 'payment_succeeded', detail: { transaction_id: transaction.transaction_id } }, payment);
    return 'applied';
  }
  if (order.status === 'pending') await transitionOrderStatus(em, order, 'cancelled', { ...event, event: 'seat_lock_expired' });
  const flagged = await flagPaidAfterCancel(em, order, { ...event, event: 'paid_after_cancel', detail: { transaction_id: transaction.transaction_id } }, payment);
  if (!flagged) {
    recordPaymentEvent(em, order, { ...event, event: 'payment_confirmed_again', detail: { transaction_id: transaction.transaction_id } });
    return 'already_paid';
  }
  deps.metrics.paidAfterCancel.inc();
  deps.logger.error({ orderId: order.id, status: order.status }, 'payment received for an order no longer payable: flagged for refund');
  return 'paid_after_cancel';
}

/**
 * One database transaction per verified notification: claim its id (redeliveries stop here), lock the
 * order, check the transaction against our records, and move the state through the one transition function.
 */
export async function applyPaymentNotification(deps: ApplyNotificationDeps, envelope: WechatPayNotificationEnvelope, transaction: WechatTransaction): Promise<NotificationOutcome> {
  return deps.em.fork().transactional(async (em) => {
    // Answer within WeChat's 5 s even when a session request holds the order; a 500 makes WeChat retry.
    await em.execute(`set local lock_timeout = '3s'`);
    if (!(await claimNotification(em, envelope, transaction.out_trade_no, deps.now))) return 'duplicate';
    let outcome: NotificationOutcome;
    if (envelope.event_type !== 'TRANSACTION.SUCCESS') {
      outcome = 'ignored_event';
    } else {
      const order = await em.findOne(Order, { paymentToken: transaction.out_trade_no }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      outcome = order ? await applyToOrder(deps, em, order, envelope, transaction) : 'unknown_order';
    }
    await em.execute('update payment_notifications set outcome = ? where id = ?', [outcome, envelope.id]);
    return outcome;
  });
}
