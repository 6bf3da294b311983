import type { SignatureRejectionReason, SignatureVerification } from './auth/verifier';

export type WechatPayFailureKind = 'timeout' | 'network_error' | 'api_error' | 'verification_failed' | 'malformed_response';

/** Every failure of a WeChat Pay call; `operation` names the call (`jsapi_prepay`, `query`, `close`, …). */
export abstract class WechatPayError extends Error {
  /** Stable label for logs and metrics. */
  abstract readonly kind: WechatPayFailureKind;

  constructor(
    readonly operation: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No answer within `timeoutMs`. The request may have reached WeChat: the outcome is unknown. */
export class WechatPayTimeoutError extends WechatPayError {
  readonly kind = 'timeout';

  constructor(
    operation: string,
    readonly timeoutMs: number,
  ) {
    super(operation, `WeChat Pay did not answer ${operation} within ${timeoutMs} ms`);
  }
}

/** Connection refused, reset or closed mid-answer. The outcome is unknown unless the connection was refused. */
export class WechatPayNetworkError extends WechatPayError {
  readonly kind = 'network_error';

  constructor(
    operation: string,
    readonly causeCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(operation, `network failure calling WeChat Pay ${operation}${causeCode ? ` (${causeCode})` : ''}`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A non-2xx answer. Such answers may be unsigned, so they only classify the failure, never prove a payment. */
export class WechatPayApiError extends WechatPayError {
  readonly kind = 'api_error';
  readonly normalizedCode: string;

  constructor(
    operation: string,
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    requestId: string | undefined,
    readonly detail?: unknown,
    /** Error answers may be unsigned; when signed, whether the signature verified (absent: unsigned). */
    readonly signature?: SignatureVerification,
  ) {
    super(operation, message, requestId);
    this.normalizedCode = normalizeWechatPayCode(code);
  }
}

/** A 2xx answer whose signature did not verify: forged, tampered, or a `WECHATPAY/SIGNTEST/` probe. */
export class WechatPayVerificationError extends WechatPayError {
  readonly kind = 'verification_failed';

  constructor(
    operation: string,
    readonly reason: SignatureRejectionReason,
    detail: string,
    requestId: string | undefined,
    readonly status: number,
  ) {
    super(operation, `WeChat Pay ${operation} answer failed verification (${reason}): ${detail}`, requestId);
  }
}

/** A verified 2xx answer that does not have the documented shape. */
export class WechatPayMalformedResponseError extends WechatPayError {
  readonly kind = 'malformed_response';

  constructor(operation: string, detail: string, requestId: string | undefined) {
    super(operation, `WeChat Pay ${operation} answer is malformed: ${detail}`, requestId);
  }
}

/**
 * Error codes are spelled differently across doc generations (ORDERPAID / ORDER_PAID, SYSTEMERROR / SYSTEM_ERROR):
 * compare them upper-cased with `_` removed.
 */
export function normalizeWechatPayCode(code: string | undefined): string {
  return (code ?? '').replace(/_/g, '').toUpperCase();
}

function hasCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof WechatPayApiError && codes.includes(err.normalizedCode);
}

/** Prepay or close of an out_trade_no that is already paid: query it and mark the order paid. */
export function isAlreadyPaid(err: unknown): boolean {
  return hasCode(err, 'ORDERPAID');
}

export function isOrderNotFound(err: unknown): boolean {
  return err instanceof WechatPayApiError && (err.status === 404 || hasCode(err, 'ORDERNOTEXIST'));
}

/** The out_trade_no is closed for good: paying again needs a new one. */
export function isOrderClosed(err: unknown): boolean {
  return hasCode(err, 'ORDERCLOSED');
}

// 5xx codes that are not transient: retrying with the same parameters cannot succeed.
const PERMANENT_SERVER_CODES = ['OPENIDMISMATCH', 'INVALIDTRANSACTIONID'];

/**
 * Worth re-sending now with identical parameters: 429, transient 5xx, network failures. A timeout is not
 * retried in the same request (it already cost `timeoutMs`); the caller re-sends later (see `isOutcomeUnknown`).
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof WechatPayNetworkError) return true;
  if (!(err instanceof WechatPayApiError)) return false;
  if (err.status === 429) return true;
  return err.status >= 500 && !PERMANENT_SERVER_CODES.includes(err.normalizedCode);
}

/**
 * The request may have been processed by WeChat. Re-send the same out_trade_no with the same stored body later
 * (or query first); never switch to a new out_trade_no, or the user may pay twice.
 */
export function isOutcomeUnknown(err: unknown): boolean {
  if (err instanceof WechatPayTimeoutError || err instanceof WechatPayNetworkError) return true;
  if (err instanceof WechatPayVerificationError || err instanceof WechatPayMalformedResponseError) return true;
  return err instanceof WechatPayApiError && err.status >= 500;
}
