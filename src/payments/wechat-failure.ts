import { AppError, wechatTimeout, wechatUnavailable } from '../errors/app-error';
import { WechatPayApiError, WechatPayError, WechatPayNetworkError, WechatPayTimeoutError, WechatPayVerificationError } from '../wechatpay-sdk';
import { documentedCodeOrOther } from './wechat-error-codes';

/** The metric label of a failed WeChat Pay call: WeChat's own code, verbatim, when it is a documented one. */
export function wechatFailureCode(err: unknown): string {
  if (err instanceof WechatPayTimeoutError) return 'TIMEOUT';
  if (err instanceof WechatPayNetworkError) return 'NETWORK';
  if (err instanceof WechatPayVerificationError) return `SIGNATURE_${err.reason.toUpperCase()}`;
  if (err instanceof WechatPayApiError) return documentedCodeOrOther(err.code);
  if (err instanceof WechatPayError) return 'MALFORMED';
  return 'UNEXPECTED';
}

/** A timeout is 504; every other WeChat failure (5xx, error code, bad or probe signature, reset) is 502. */
export function toClientError(err: unknown): AppError {
  return err instanceof WechatPayTimeoutError ? wechatTimeout() : wechatUnavailable();
}

export function wechatFailureLog(err: unknown): Record<string, unknown> {
  if (!(err instanceof WechatPayError)) return { err };
  return {
    wechatCode: err instanceof WechatPayApiError ? err.code : wechatFailureCode(err),
    wechatStatus: err instanceof WechatPayApiError ? err.status : undefined,
    wechatMessage: err.message,
    wechatRequestId: err.requestId,
    operation: err.operation,
  };
}
