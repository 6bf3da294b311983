import type { Problem, ProblemCode } from './contract-types';

/** The request never got an HTTP answer (wx.request's `fail`: offline, DNS, TLS, timeout, domain not allowed). */
export const NETWORK_ERROR = 'NETWORK_ERROR';
/** The server answered something that is not the contract (a proxy's HTML page, an empty body). */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

export type ClientErrorCode = ProblemCode | typeof NETWORK_ERROR | typeof UNEXPECTED_RESPONSE;

/** A failed API call: branch on `code`, never on `message`. */
export class PaymentApiError extends Error {
  readonly code: ClientErrorCode;
  readonly httpStatus?: number;
  readonly problem?: Problem;
  readonly retryAfterMs?: number;

  constructor(code: ClientErrorCode, message: string, details: { httpStatus?: number; problem?: Problem; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'PaymentApiError';
    this.code = code;
    this.httpStatus = details.httpStatus;
    this.problem = details.problem;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isPaymentApiError(value: unknown, code?: ClientErrorCode): value is PaymentApiError {
  return value instanceof PaymentApiError && (code === undefined || value.code === code);
}
