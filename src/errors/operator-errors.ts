import { AppError } from './app-error';

/** Problems of the operator API (`/admin/…`): its own codes, catalogued in openapi.yaml's `AdminProblemCode`. */

export const operatorUnauthorized = () =>
  new AppError(401, 'OPERATOR_UNAUTHORIZED', 'Operator key required', 'A valid operator key is required (Authorization: Bearer <operator key>).');
export const refundNotFound = () => new AppError(404, 'REFUND_NOT_FOUND', 'Refund not found', 'No such refund.');
export const refundNotAllowed = () =>
  new AppError(409, 'REFUND_NOT_ALLOWED', 'Refund not allowed', 'Only a paid order, or one paid after it was cancelled, can be refunded.');
export const refundExceedsPaid = (refundable: number) =>
  new AppError(409, 'REFUND_EXCEEDS_PAID', 'Refund exceeds the amount paid', `At most ${refundable} fen of this order can still be refunded.`);
export const refundLimitReached = () => new AppError(409, 'REFUND_LIMIT_REACHED', 'Too many refunds', 'WeChat Pay allows at most 50 refunds per order.');
export const refundBalanceInsufficient = () =>
  new AppError(
    409,
    'REFUND_BALANCE_INSUFFICIENT',
    'Merchant balance insufficient',
    'WeChat Pay answered NOT_ENOUGH: the merchant balance cannot cover the refund. Top it up, then repeat the request with the same Idempotency-Key.',
  );
export const refundUserAccountAbnormal = () =>
  new AppError(
    422,
    'REFUND_USER_ACCOUNT_ABNORMAL',
    'Payer account abnormal',
    "WeChat Pay answered USER_ACCOUNT_ABNORMAL: the payer's account cannot receive the refund. Refund the traveler another way.",
  );
export const refundRejected = (wechatCode: string | undefined, wechatMessage: string | undefined) =>
  new AppError(
    422,
    'REFUND_REJECTED',
    'Refund rejected by WeChat Pay',
    `WeChat Pay refused the refund${wechatCode ? ` (${wechatCode}${wechatMessage ? `: ${wechatMessage}` : ''})` : ''}; nothing was refunded.`,
  );
export const refundFrequencyLimited = () =>
  new AppError(
    429,
    'REFUND_FREQUENCY_LIMITED',
    'Refunds too frequent',
    'WeChat Pay answered FREQUENCY_LIMITED. Repeat the request with the same Idempotency-Key later.',
    {
      'Retry-After': '60',
    },
  );
export const invalidRefundReason = () =>
  new AppError(
    400,
    'VALIDATION_FAILED',
    'Validation failed',
    'reason must be at most 80 bytes of UTF-8, without emoji or other 4-byte characters (a WeChat Pay rule).',
  );
