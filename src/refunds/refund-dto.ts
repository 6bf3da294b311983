import type { components } from '../../generated/api';
import type { Refund } from '../persistence/entities/refund';

export type RefundDto = components['schemas']['Refund'];

export function toRefundDto(refund: Refund): RefundDto {
  return {
    refund_id: refund.id,
    order_id: refund.orderId,
    out_refund_no: refund.outRefundNo,
    amount: refund.amount,
    status: refund.status,
    ...(refund.reason ? { reason: refund.reason } : {}),
    requested_by: refund.requestedBy,
    ...(refund.wechatRefundId ? { wechat_refund_id: refund.wechatRefundId } : {}),
    ...(refund.channel ? { channel: refund.channel } : {}),
    ...(refund.userReceivedAccount ? { user_received_account: refund.userReceivedAccount } : {}),
    ...(refund.successTime ? { success_time: refund.successTime.toISOString() } : {}),
    ...(refund.failureCode ? { failure_code: refund.failureCode } : {}),
    created_at: refund.createdAt.toISOString(),
    updated_at: refund.updatedAt.toISOString(),
  };
}
