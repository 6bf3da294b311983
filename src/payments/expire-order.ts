import { isLapsed } from '../orders/order-status-rules';
import { isAlreadyPaid } from '../wechatpay-sdk';
import { applyConfirmedClose, applyLapsedWithoutTransaction } from './apply-wechat-transaction';
import { applyAnswer, queryWechat, reconcilePayment, type ReconcileDeps } from './reconcile-payment';

/** Answers that settle a lapsed order without a close: money arrived, or the payment failed. */
const SETTLED_STATES = new Set(['SUCCESS', 'REFUND', 'PAYERROR']);

/** Cancels at once when no transaction exists; false when one appeared meanwhile (it must be closed first). */
async function cancelIfNoTransaction(deps: ReconcileDeps, orderId: string): Promise<boolean> {
  return deps.transactions.run(async (tx) => {
    const order = await deps.orders.lockById(tx, orderId);
    if (!order || order.status !== 'pending') return true;
    if (order.outTradeNo) return false;
    return applyLapsedWithoutTransaction(deps, tx, order, { source: 'expiry', now: deps.clock() });
  });
}

async function storeClose(deps: ReconcileDeps, orderId: string): Promise<void> {
  await deps.transactions.run(async (tx) => {
    const order = await deps.orders.lockById(tx, orderId);
    if (order?.status === 'pending') await applyConfirmedClose(deps, tx, order, { source: 'expiry', now: deps.clock() });
  });
}

/**
 * WeChat's rule at the business deadline: query once more, close the transaction, then record the outcome. The
 * order stays pending (and reads so) until WeChat confirmed the close; a failure throws, and the job is retried.
 */
export async function expireOrder(deps: ReconcileDeps, orderId: string): Promise<void> {
  const order = await deps.orders.findForReconciliation(orderId);
  if (!order || !isLapsed(order, deps.clock())) return;
  if (!order.outTradeNo && (await cancelIfNoTransaction(deps, orderId))) return;
  const outTradeNo = (await deps.orders.findOutTradeNo(orderId)) as string;
  const last = await queryWechat(deps, outTradeNo, orderId);
  if (last && SETTLED_STATES.has(last.trade_state) && (await applyAnswer(deps, orderId, last, 'expiry')) === 'final') return;
  // Closed even when WeChat already says CLOSED (past time_expire): close is re-entrant, and only its 204 is ours.
  try {
    await deps.jsapi.closeTransaction(outTradeNo);
  } catch (err) {
    if (!isAlreadyPaid(err)) throw err;
    // Paid between our query and the close: the next query says so (or the retry asks again).
    deps.metrics.expiryCloses.inc({ outcome: 'orderpaid' });
    if ((await reconcilePayment(deps, orderId, 'expiry')) === 'open') throw new Error(`order ${orderId}: close answered ORDERPAID, query did not confirm it`);
    return;
  }
  deps.metrics.expiryCloses.inc({ outcome: 'closed' });
  await storeClose(deps, orderId);
}
