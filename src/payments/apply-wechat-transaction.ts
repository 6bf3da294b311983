import type { Logger } from '../observability/logger';
import { isPaidInTime } from '../orders/order-status-rules';
import type { OrderEvent, OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransaction } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import { maskOpenid, type WechatTransaction } from '../wechatpay-sdk';
import { findTransactionMismatches, paidAtOf } from './check-wechat-transaction';

export type TransactionOutcome = 'applied' | 'mismatch' | 'not_success' | 'already_paid' | 'paid_after_cancel';

export interface ApplyTransactionDeps {
  orders: OrdersRepository;
  merchant: { appId: string; mchId: string };
  logger: Logger;
}

/** Where WeChat's word came from: a notification (with its id) or an answer to our own query. */
export interface TransactionOrigin {
  source: HistorySource;
  now: Date;
  notificationId?: string;
}

export interface AppliedTransaction {
  outcome: TransactionOutcome;
  /** Fields that disagreed with our records (outcome `mismatch`). */
  mismatches: string[];
}

/**
 * The one place a WeChat transaction changes an order, whoever learned of it: the webhook, a query after
 * ORDERPAID, and next the reconciler and expiry. The order is locked by the caller. A verified signature proves
 * WeChat said it, not that it is about this order at this price: every field is checked before anything moves.
 */
export async function applyWechatTransaction(
  deps: ApplyTransactionDeps,
  tx: DatabaseTransaction,
  order: Order,
  transaction: WechatTransaction,
  origin: TransactionOrigin,
): Promise<AppliedTransaction> {
  const event: Omit<OrderEvent, 'event'> = { source: origin.source, now: origin.now, notificationId: origin.notificationId };
  const mismatches = findTransactionMismatches(transaction, order, deps.merchant);
  if (mismatches.length > 0) {
    deps.logger.error(
      { orderId: order.id, mismatches, payer: maskOpenid(transaction.payer?.openid), source: origin.source },
      'WeChat transaction disagrees with our records: not marking paid',
    );
    deps.orders.recordEvent(tx, order, {
      ...event,
      event: 'transaction_mismatch',
      detail: { mismatches, amount: transaction.amount, transaction_id: transaction.transaction_id },
    });
    return { outcome: 'mismatch', mismatches };
  }
  if (transaction.trade_state !== 'SUCCESS') {
    deps.orders.recordEvent(tx, order, { ...event, event: 'notification_not_success', detail: { trade_state: transaction.trade_state } });
    return { outcome: 'not_success', mismatches };
  }
  return { outcome: await applySuccess(deps, tx, order, transaction, event), mismatches };
}

async function applySuccess(
  deps: ApplyTransactionDeps,
  tx: DatabaseTransaction,
  order: Order,
  transaction: WechatTransaction,
  event: Omit<OrderEvent, 'event'>,
): Promise<TransactionOutcome> {
  const detail = { transaction_id: transaction.transaction_id };
  if (order.status === 'paid') {
    deps.orders.recordEvent(tx, order, { ...event, event: 'payment_confirmed_again', detail });
    return 'already_paid';
  }
  const payment = { tradeState: 'SUCCESS', wechatTransactionId: transaction.transaction_id, paidAt: paidAtOf(transaction, event.now) };
  if (order.status === 'pending' && isPaidInTime(order, payment.paidAt, event.now)) {
    await deps.orders.transition(tx, order, 'paid', { ...event, event: 'payment_succeeded', detail }, payment);
    return 'applied';
  }
  if (order.status === 'pending') await deps.orders.transition(tx, order, 'cancelled', { ...event, event: 'seat_lock_expired' });
  const flagged = await deps.orders.flagPaidAfterCancel(tx, order, { ...event, event: 'paid_after_cancel', detail }, payment);
  if (!flagged) {
    deps.orders.recordEvent(tx, order, { ...event, event: 'payment_confirmed_again', detail });
    return 'already_paid';
  }
  deps.logger.error({ orderId: order.id, status: order.status }, 'payment received for an order no longer payable: flagged for refund');
  return 'paid_after_cancel';
}
