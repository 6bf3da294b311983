import type { components } from '../../generated/api';
import type { Order } from '../persistence/entities/order';
import type { PaymentStatusHistory } from '../persistence/entities/payment-status-history';
import type { RefundDto } from '../refunds/refund-dto';

export type OperatorOrderDto = components['schemas']['OperatorOrder'];

function toHistoryEntry(row: PaymentStatusHistory): OperatorOrderDto['history'][number] {
  return {
    at: row.createdAt.toISOString(),
    event: row.event,
    source: row.source,
    ...(row.fromStatus ? { from_status: row.fromStatus } : {}),
    ...(row.toStatus ? { to_status: row.toStatus } : {}),
    ...(row.notificationId ? { notification_id: row.notificationId } : {}),
    // An open object in the contract, which openapi-typescript types as Record<string, never>.
    ...(row.detail ? { detail: row.detail as Record<string, never> } : {}),
  };
}

/** What an operator sees of an order: its WeChat ids, its refunds and its whole history. Never the payer's openid. */
export function toOperatorOrderDto(order: Order, refunds: RefundDto[], history: PaymentStatusHistory[]): OperatorOrderDto {
  return {
    order_id: order.id,
    amount: order.amount,
    description: order.description,
    status: order.status,
    paid_after_cancel: order.paidAfterCancel,
    lock_expire_at: order.lockExpireAt.toISOString(),
    created_at: order.createdAt.toISOString(),
    wechat: {
      ...(order.outTradeNo ? { out_trade_no: order.outTradeNo } : {}),
      ...(order.wechatTransactionId ? { transaction_id: order.wechatTransactionId } : {}),
      ...(order.wechatPrepayId ? { prepay_id: order.wechatPrepayId } : {}),
      ...(order.tradeState ? { trade_state: order.tradeState } : {}),
      ...(order.paidAt ? { paid_at: order.paidAt.toISOString() } : {}),
    },
    refund_amount: order.refundAmount,
    refunded_amount: order.refundedAmount,
    refunds,
    history: history.map(toHistoryEntry),
  };
}
