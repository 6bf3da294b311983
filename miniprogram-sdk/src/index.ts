export { createPaymentClient, type PaymentClient, type PaymentClientOptions } from './create-payment-client';
export type { CreateOrderInput } from './create-order';
export type { PayOrderOptions } from './pay-order';
export type { PayResult, PayOutcome } from './pay-result';
export { PaymentApiError, isPaymentApiError, NETWORK_ERROR, UNEXPECTED_RESPONSE, type ClientErrorCode } from './payment-api-error';
export { PROBLEM_GUIDANCE, guidanceFor, type ProblemAction, type ProblemGuidance } from './problem-guidance';
export {
  sandboxRequestPayment,
  wxRequestPayment,
  isCancelledByUser,
  type RequestPayment,
  type PaymentSheetResult,
  type SandboxChoice,
} from './request-payment';
export { wxStorage, memoryStorage, type TokenStorage, type WxLike, type WxRequestOptions, type WxRequestPaymentOptions } from './wx-like';
export { formatFen, assertFen, MAX_AMOUNT_FEN } from './fen';
export { createIdempotencyKey } from './idempotency-key';
export { MIN_POLL_INTERVAL_MS } from './poll-payment-status';
export type { RetryPolicy } from './retry-transient';
export type { Order, PaymentSession, PaymentStatus, Problem, ProblemCode } from './contract-types';
