import type { RefundStatus } from '../persistence/entities/refund';
import type { WechatRefundStatus } from '../wechatpay-sdk';

/**
 * The only moves a refund's status can make. PENDING (committed, not yet accepted by WeChat) ends in WeChat's answer
 * or in REJECTED; ABNORMAL waits for an operator's manual handling at WeChat, after which WeChat reports the end.
 * SUCCESS, CLOSED and REJECTED absorb.
 */
const ALLOWED: Record<RefundStatus, readonly RefundStatus[]> = {
  PENDING: ['PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL', 'REJECTED'],
  PROCESSING: ['SUCCESS', 'CLOSED', 'ABNORMAL'],
  ABNORMAL: ['PROCESSING', 'SUCCESS', 'CLOSED'],
  SUCCESS: [],
  CLOSED: [],
  REJECTED: [],
};

export function canMoveRefund(from: RefundStatus, to: RefundStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** WeChat's words are ours for the states WeChat knows. */
export function refundStatusFromWechat(status: WechatRefundStatus): RefundStatus {
  return status;
}

/** WeChat Pay: at most 50 partial refunds per order. */
export const MAX_REFUNDS_PER_ORDER = 50;
