import { formatBeijingTime } from '../../src/wechatpay-sdk';
import type { SandboxRefund } from './refunds-store';

// 原路退回 to the payer's balance, as a JSAPI payment from balance is refunded.
const USER_RECEIVED_ACCOUNT = '支付用户零钱';

/** The refund object answered by create and query (WeChat's field names and order). */
export function describeRefund(refund: SandboxRefund): Record<string, unknown> {
  const { application } = refund;
  return {
    refund_id: refund.refundId,
    out_refund_no: application.out_refund_no,
    transaction_id: refund.transactionId,
    out_trade_no: refund.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: USER_RECEIVED_ACCOUNT,
    ...(refund.successTime ? { success_time: formatBeijingTime(refund.successTime) } : {}),
    create_time: formatBeijingTime(refund.createdAt),
    status: refund.status,
    funds_account: application.funds_account ?? 'AVAILABLE',
    amount: {
      total: application.amount.total,
      refund: application.amount.refund,
      from: [],
      payer_total: application.amount.total,
      payer_refund: application.amount.refund,
      settlement_refund: application.amount.refund,
      settlement_total: application.amount.total,
      discount_refund: 0,
      currency: application.amount.currency,
      refund_fee: 0,
    },
    promotion_detail: [],
  };
}

/** The decrypted resource of a REFUND.* notification: `refund_status`, and fewer amount fields. */
export function describeRefundNotice(refund: SandboxRefund, mchid: string): Record<string, unknown> {
  const { application } = refund;
  return {
    mchid,
    out_trade_no: refund.outTradeNo,
    transaction_id: refund.transactionId,
    out_refund_no: application.out_refund_no,
    refund_id: refund.refundId,
    refund_status: refund.status,
    ...(refund.successTime ? { success_time: formatBeijingTime(refund.successTime) } : {}),
    user_received_account: USER_RECEIVED_ACCOUNT,
    amount: {
      total: application.amount.total,
      refund: application.amount.refund,
      payer_total: application.amount.total,
      payer_refund: application.amount.refund,
    },
  };
}
