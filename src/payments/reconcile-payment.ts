import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { isLapsed } from '../orders/order-status-rules';
import type { OrdersRepository } from '../orders/orders-repository';
import type { DatabaseTransactions } from '../persistence/database-transactions';
import type { HistorySource } from '../persistence/entities/payment-status-history';
import type { JsapiService, WechatTransaction } from '../wechatpay-sdk';
import { applyWechatTransaction } from './apply-wechat-transaction';
import { wechatFailureLog } from './wechat-failure';

export interface ReconcileDeps {
  orders: OrdersRepository;
  transactions: DatabaseTransactions;
  jsapi: JsapiService;
  merchant: { appId: string; mchId: string };
  metrics: Metrics;
  logger: Logger;
  clock: () => Date;
}

/** `open`: still pending (query again later); `final`: paid, failed or cancelled, or nothing to ask WeChat about. */
export type ReconcileResult = 'open' | 'final';

/** WeChat's answer about the transaction, or undefined when there was none (counted, logged). */
export async function queryWechat(deps: ReconcileDeps, outTradeNo: string, orderId: string): Promise<WechatTransaction | undefined> {
  try {
    const transaction = await deps.jsapi.queryByOutTradeNo(outTradeNo);
    deps.metrics.reconciliations.inc({ trade_state: transaction.trade_state });
    return transaction;
  } catch (err) {
    // No answer is not an answer: nothing changes, the schedule asks again.
    deps.metrics.reconciliations.inc({ trade_state: 'ERROR' });
    deps.logger.warn({ ...wechatFailureLog(err), orderId }, 'WeChat Pay query for reconciliation failed');
    return undefined;
  }
}

/**
 * Asks WeChat Pay about the order's transaction and applies the answer, under the order's row lock, through the
 * one function that applies WeChat's word. The database is read first: a final order costs no query.
 */
export async function reconcilePayment(deps: ReconcileDeps, orderId: string, source: HistorySource): Promise<ReconcileResult> {
  const order = await deps.orders.findForReconciliation(orderId);
  if (!order || order.status !== 'pending' || !order.outTradeNo) return 'final';
  // Past the seat lock the expiry job owns the order: its last query, then the close, then the outcome.
  if (source === 'reconciler' && isLapsed(order, deps.clock())) return 'final';
  const transaction = await queryWechat(deps, order.outTradeNo, orderId);
  return transaction ? applyAnswer(deps, orderId, transaction, source) : 'open';
}

/** Applies a queried answer under the order's row lock. */
export function applyAnswer(deps: ReconcileDeps, orderId: string, transaction: WechatTransaction, source: HistorySource): Promise<ReconcileResult> {
  return deps.transactions.run(async (tx) => {
    const locked = await deps.orders.lockById(tx, orderId);
    if (!locked) return 'final';
    await applyWechatTransaction(deps, tx, locked, transaction, { source, now: deps.clock() });
    return locked.status === 'pending' ? 'open' : 'final';
  });
}
