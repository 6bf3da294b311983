import type { WechatRefund, WechatRefundNotice, WechatRefundStatus } from './refund-types';

export const REFUND_STATUSES: readonly WechatRefundStatus[] = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'];

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown) => typeof value === 'string';
const isOptionalString = (value: unknown) => value === undefined || isString(value);
const isFen = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isOptionalFen = (value: unknown) => value === undefined || isFen(value);
const isStatus = (value: unknown) => REFUND_STATUSES.includes(value as WechatRefundStatus);

function isRefundAmount(value: unknown): boolean {
  return isFields(value) && isFen(value.total) && isFen(value.refund) && isOptionalFen(value.payer_total) && isOptionalFen(value.payer_refund);
}

/** The refund object of create and query; extra fields (promotion_detail, amount.from…) pass through. */
export function parseWechatRefund(value: unknown): WechatRefund | undefined {
  if (!isFields(value)) return undefined;
  const valid =
    isString(value.refund_id) &&
    isString(value.out_refund_no) &&
    isString(value.out_trade_no) &&
    isStatus(value.status) &&
    isOptionalString(value.transaction_id) &&
    isOptionalString(value.success_time) &&
    isOptionalString(value.user_received_account) &&
    isRefundAmount(value.amount);
  return valid ? (value as unknown as WechatRefund) : undefined;
}

/** The decrypted resource of a refund notification (`original_type: refund`): `refund_status`, not `status`. */
export function parseWechatRefundNotice(value: unknown): WechatRefundNotice | undefined {
  if (!isFields(value)) return undefined;
  const valid =
    isString(value.mchid) &&
    isString(value.out_trade_no) &&
    isString(value.out_refund_no) &&
    isString(value.refund_id) &&
    isStatus(value.refund_status) &&
    isOptionalString(value.transaction_id) &&
    isOptionalString(value.success_time) &&
    isRefundAmount(value.amount);
  return valid ? (value as unknown as WechatRefundNotice) : undefined;
}
