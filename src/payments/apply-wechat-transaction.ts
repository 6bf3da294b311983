import type { Logger } from '../observability/logger';
import { isPaidInTime } from '../orders/order-status-rules';
import type { OrderEvent, OrdersRepository } from '../orders/orders-repository';
import type { StatementTransaction } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import { maskOpenid, type WechatTransaction } from '../wechatpay-sdk';
import { findTransactionMismatches, paidAtOf } from './check-wechat-transaction';

export type TransactionOutcome = 'applied' | 'mismatch' | 'not_success' | 'already_paid' | 'paid_after_cancel' | 'failed' | 'cancelled' | 'still_open';

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

type Event = Omit<OrderEvent, 'event'>;

/** States in which WeChat holds the traveler's money: the order is paid (REFUND: paid, then refunded). */
const PAID_STATES = new Set(['SUCCESS', 'REFUND']);

/**
 * The one place a WeChat transaction changes an order, whoever learned of it: the webhook, a query after
 * ORDERPAID, the reconciler and the expiry job. The order is locked by the caller. A verified signature proves
 * WeChat said it, not that it is about this order at this price: every field is checked before anything moves.
 */
export async function applyWechatTransaction(
  deps: ApplyTransactionDeps,
  tx: StatementTransaction,
  order: Order,
  transaction: WechatTransaction,
  origin: TransactionOrigin,
): Promise<AppliedTransaction> {
  const event: Event = { source: origin.source, now: origin.now, notificationId: origin.notificationId };
  const paid = PAID_STATES.has(transaction.trade_state);
  // Amount and payer only mean something once paid; an unpaid answer must still be about this merchant's order.
  const mismatches = findTransactionMismatches(transaction, order, deps.merchant).filter((field) => paid || IDENTITY_FIELDS.has(field));
  if (mismatches.length > 0) {
    deps.logger.error(
      { orderId: order.id, mismatches, payer: maskOpenid(transaction.payer?.openid), source: origin.source },
      'WeChat transaction disagrees with our records: not marking paid',
    );
    await deps.orders.recordEvent(tx, order, {
      ...event,
      event: 'transaction_mismatch',
      detail: { mismatches, amount: transaction.amount, transaction_id: transaction.transaction_id },
    });
    return { outcome: 'mismatch', mismatches };
  }
  if (paid) return { outcome: await applyPaid(deps, tx, order, transaction, event), mismatches };
  // A notification only ever announces success; anything else in one is recorded, never acted on.
  if (origin.source === 'webhook') {
    await deps.orders.recordEvent(tx, order, { ...event, event: 'notification_not_success', detail: { trade_state: transaction.trade_state } });
    return { outcome: 'not_success', mismatches };
  }
  return { outcome: await applyUnpaid(deps, tx, order, transaction, event), mismatches };
}

const IDENTITY_FIELDS = new Set(['mchid', 'appid', 'out_trade_no']);

/** A queried answer without money: PAYERROR fails the order, CLOSED and REVOKED cancel it, the rest wait. */
async function applyUnpaid(deps: ApplyTransactionDeps, tx: StatementTransaction, order: Order, transaction: WechatTransaction, event: Event) {
  const tradeState = transaction.trade_state;
  const detail = { trade_state: tradeState, trade_state_desc: transaction.trade_state_desc };
  if (tradeState === 'PAYERROR') {
    return (await deps.orders.transition(tx, order, 'failed', { ...event, event: 'payment_failed', detail }, { tradeState })) ? 'failed' : 'still_open';
  }
  if (tradeState === 'CLOSED' || tradeState === 'REVOKED') {
    const moved = await deps.orders.transition(tx, order, 'cancelled', { ...event, event: 'transaction_closed', detail }, { tradeState });
    return moved ? 'cancelled' : 'still_open';
  }
  // NOTPAY, USERPAYING (the traveler is entering a password), ACCEPT: nothing happened yet; no history row.
  if (order.status === 'pending' && order.tradeState !== tradeState) await deps.orders.update(tx, order, { tradeState });
  return 'still_open';
}

async function applyPaid(deps: ApplyTransactionDeps, tx: StatementTransaction, order: Order, transaction: WechatTransaction, event: Event) {
  const refunded = transaction.trade_state === 'REFUND';
  const detail = { transaction_id: transaction.transaction_id, ...(refunded && { trade_state: 'REFUND', refund_noted: true }) };
  const payment = { tradeState: transaction.trade_state, wechatTransactionId: transaction.transaction_id, paidAt: paidAtOf(transaction, event.now) };
  if (order.status === 'paid') return confirmPaid(deps, tx, order, event, detail, refunded);
  if (isPaidInTime(order, payment.paidAt)) {
    await deps.orders.transition(tx, order, 'paid', { ...event, event: 'payment_succeeded', detail }, payment);
    return 'applied';
  }
  if (order.status === 'pending') await deps.orders.transition(tx, order, 'cancelled', { ...event, event: 'seat_lock_expired' });
  const flagged = await deps.orders.flagPaidAfterCancel(tx, order, { ...event, event: 'paid_after_cancel', detail }, payment);
  if (!flagged) return confirmPaid(deps, tx, order, event, detail, refunded);
  deps.logger.error({ orderId: order.id, status: order.status }, 'payment received for an order no longer payable: flagged for refund');
  return 'paid_after_cancel';
}

/**
 * Money WeChat already told us about. A notification leaves a row (its id is the audit trail); a query that only
 * repeats what is stored leaves none, so the reconciler and expiry add a row per real change only.
 */
async function confirmPaid(
  deps: ApplyTransactionDeps,
  tx: StatementTransaction,
  order: Order,
  event: Event,
  detail: Record<string, unknown>,
  refunded: boolean,
) {
  if (refunded && order.tradeState !== 'REFUND') {
    await deps.orders.update(tx, order, { tradeState: 'REFUND' });
    await deps.orders.recordEvent(tx, order, { ...event, event: 'refund_noted', detail });
  } else if (event.source === 'webhook') {
    await deps.orders.recordEvent(tx, order, { ...event, event: 'payment_confirmed_again', detail });
  }
  return 'already_paid' as const;
}

/** WeChat confirmed our close (204): the transaction can no longer be paid, so the lapsed order is cancelled. */
export async function applyConfirmedClose(deps: ApplyTransactionDeps, tx: StatementTransaction, order: Order, origin: TransactionOrigin): Promise<boolean> {
  const event = { source: origin.source, now: origin.now, event: 'transaction_closed', detail: { out_trade_no: order.outTradeNo, trade_state: 'CLOSED' } };
  return deps.orders.transition(tx, order, 'cancelled', event, { tradeState: 'CLOSED' });
}

/** A lapsed order that never got a transaction: nothing to ask WeChat, cancelled at once. */
export async function applyLapsedWithoutTransaction(
  deps: ApplyTransactionDeps,
  tx: StatementTransaction,
  order: Order,
  origin: TransactionOrigin,
): Promise<boolean> {
  if (order.outTradeNo) return false;
  return deps.orders.transition(tx, order, 'cancelled', { source: origin.source, now: origin.now, event: 'seat_lock_expired' });
}
