import type { AppError } from '../errors/app-error';
import { refundBalanceInsufficient, refundFrequencyLimited, refundRejected, refundUserAccountAbnormal } from '../errors/operator-errors';
import { toClientError } from '../payments/wechat-failure';
import { WechatPayApiError, type RefundFailureKind } from '../wechatpay-sdk';

/** WeChat's refund error codes as the operator sees them; the refund stays PENDING unless WeChat refused it for good. */
export function refundFailureError(kind: RefundFailureKind, err: unknown): AppError {
  if (kind === 'insufficient_balance') return refundBalanceInsufficient();
  if (kind === 'frequency_limited') return refundFrequencyLimited();
  if (kind === 'user_account_abnormal') return refundUserAccountAbnormal();
  if (kind === 'rejected') {
    const api = err instanceof WechatPayApiError ? err : undefined;
    return refundRejected(api?.code, api?.message);
  }
  return toClientError(err);
}

/** A REJECTED refund answers its refusal again, from what was stored. */
export function storedRejection(failureCode: string | undefined, failureMessage: string | undefined): AppError {
  return failureCode === 'USER_ACCOUNT_ABNORMAL' ? refundUserAccountAbnormal() : refundRejected(failureCode, failureMessage);
}

/** The refund ended at WeChat, or never can exist there. */
export const isFinalRefusal = (kind: RefundFailureKind) => kind === 'rejected' || kind === 'user_account_abnormal';
