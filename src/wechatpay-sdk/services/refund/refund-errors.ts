import { WechatPayApiError, isOutcomeUnknown } from '../../core/errors';

/**
 * What a failed refund call means for the refund (WeChat's refund error codes, normalised without `_`):
 * - `rejected`: refused for good (INVALID_REQUEST, PARAM_ERROR, …): no refund exists at WeChat for this out_refund_no;
 * - `user_account_abnormal`: the payer's account cannot take the money back (USER_ACCOUNT_ABNORMAL); refund offline;
 * - `insufficient_balance`: the merchant's balance is short (NOT_ENOUGH); retry the same out_refund_no after topping up;
 * - `frequency_limited`: too many requests (FREQUENCY_LIMITED, 429); retry the same out_refund_no in a minute;
 * - `outcome_unknown`: timeout, reset, 5xx, SYSTEM_ERROR, or an answer that failed verification: retry the same body.
 */
export type RefundFailureKind = 'rejected' | 'user_account_abnormal' | 'insufficient_balance' | 'frequency_limited' | 'outcome_unknown';

export function classifyRefundFailure(err: unknown): RefundFailureKind {
  if (isOutcomeUnknown(err)) return 'outcome_unknown';
  if (!(err instanceof WechatPayApiError)) return 'outcome_unknown';
  if (err.normalizedCode === 'NOTENOUGH') return 'insufficient_balance';
  if (err.normalizedCode === 'FREQUENCYLIMITED' || err.status === 429) return 'frequency_limited';
  if (err.normalizedCode === 'USERACCOUNTABNORMAL') return 'user_account_abnormal';
  // Authentication problems (SIGN_ERROR, NO_AUTH) are ours to fix, not the refund's: the refund may be retried.
  if (err.status === 401 || err.normalizedCode === 'NOAUTH' || err.normalizedCode === 'SIGNERROR') return 'outcome_unknown';
  return 'rejected';
}

/** Query of an out_refund_no WeChat does not know (RESOURCE_NOT_EXISTS, 404). */
export function isRefundNotFound(err: unknown): boolean {
  return err instanceof WechatPayApiError && (err.status === 404 || err.normalizedCode === 'RESOURCENOTEXISTS');
}
