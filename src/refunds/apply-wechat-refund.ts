import type { DatabaseTransaction } from '../persistence/database-transactions';
import type { Order } from '../persistence/entities/order';
import type { Refund } from '../persistence/entities/refund';
import type { WechatRefund, WechatRefundNotice, WechatRefundStatus } from '../wechatpay-sdk';
import { moveRefund, type MoveRefundDeps, type RefundOrigin } from './move-refund';
import { refundStatusFromWechat } from './refund-status-rules';

/** What WeChat said about a refund, from an answer (`status`) or a notification (`refund_status`). */
export interface RefundObservation {
  status: WechatRefundStatus;
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  amount: { refund: number; total: number };
  successTime?: string;
  channel?: string;
  userReceivedAccount?: string;
}

export function observeRefund(refund: WechatRefund): RefundObservation {
  return {
    status: refund.status,
    refundId: refund.refund_id,
    outRefundNo: refund.out_refund_no,
    outTradeNo: refund.out_trade_no,
    amount: refund.amount,
    successTime: refund.success_time,
    channel: refund.channel,
    userReceivedAccount: refund.user_received_account,
  };
}

export function observeRefundNotice(notice: WechatRefundNotice): RefundObservation {
  return {
    status: notice.refund_status,
    refundId: notice.refund_id,
    outRefundNo: notice.out_refund_no,
    outTradeNo: notice.out_trade_no,
    amount: notice.amount,
    successTime: notice.success_time,
    userReceivedAccount: notice.user_received_account,
  };
}

export type RefundOutcome = 'applied' | 'unchanged' | 'mismatch';

/** A verified message still has to be about this refund of this order at this amount. */
function findMismatches(order: Pick<Order, 'outTradeNo' | 'amount'>, refund: Refund, observed: RefundObservation): string[] {
  const mismatches: string[] = [];
  if (observed.outRefundNo !== refund.outRefundNo) mismatches.push('out_refund_no');
  if (observed.outTradeNo !== order.outTradeNo) mismatches.push('out_trade_no');
  if (observed.amount.refund !== refund.amount) mismatches.push('amount.refund');
  if (observed.amount.total !== order.amount) mismatches.push('amount.total');
  return mismatches;
}

/** Where WeChat's word about a refund reaches our records: checked field by field, then one status move. */
export async function applyWechatRefund(
  deps: MoveRefundDeps,
  tx: DatabaseTransaction,
  order: Order,
  refund: Refund,
  observed: RefundObservation,
  origin: RefundOrigin,
): Promise<{ outcome: RefundOutcome; mismatches: string[] }> {
  const mismatches = findMismatches(order, refund, observed);
  if (mismatches.length > 0) {
    deps.logger.error({ orderId: order.id, refundId: refund.id, mismatches, source: origin.source }, 'WeChat refund disagrees with our records: not applied');
    await deps.orders.recordEvent(tx, order, {
      event: 'refund_mismatch',
      source: origin.source,
      now: origin.now,
      notificationId: origin.notificationId,
      detail: { refund_id: refund.id, mismatches, amount: observed.amount, wechat_refund_id: observed.refundId },
    });
    return { outcome: 'mismatch', mismatches };
  }
  const changes = {
    wechatRefundId: observed.refundId,
    channel: observed.channel ?? refund.channel,
    userReceivedAccount: observed.userReceivedAccount ?? refund.userReceivedAccount,
    successTime: observed.successTime ? new Date(observed.successTime) : refund.successTime,
  };
  const moved = await moveRefund(deps, tx, order, refund, refundStatusFromWechat(observed.status), origin, changes);
  return { outcome: moved ? 'applied' : 'unchanged', mismatches };
}
