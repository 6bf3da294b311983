import { expectSuccess } from './api-request';
import type { AuthSession } from './auth-session';
import type { PaymentSession, PaymentStatus } from './contract-types';
import { isPaymentApiError } from './payment-api-error';
import type { PayResult } from './pay-result';
import { pollPaymentStatus, MIN_POLL_INTERVAL_MS } from './poll-payment-status';
import { isCancelledByUser, type RequestPayment } from './request-payment';
import { retryTransient, type RetryPolicy } from './retry-transient';

export interface PayOrderOptions {
  /** How long to poll for the final status after the payment sheet closes (default 30 s). */
  timeoutMs?: number;
  firstPollDelayMs?: number;
  pollIntervalMs?: number;
}

export interface PayOrderDeps {
  auth: AuthSession;
  requestPayment: RequestPayment;
  retry?: RetryPolicy;
}

/** Session problems that are really outcomes of the order. */
const SESSION_OUTCOMES: Partial<Record<string, PayResult['outcome']>> = {
  ORDER_ALREADY_PAID: 'paid',
  ORDER_EXPIRED: 'expired',
  ORDER_CANCELLED: 'expired',
  ORDER_FAILED: 'failed',
};

const STATUS_OUTCOMES: Record<PaymentStatus['status'], PayResult['outcome']> = {
  paid: 'paid',
  failed: 'failed',
  cancelled: 'expired',
  pending: 'still_pending',
};

/** POST /payments/session; 502/504 and 409 PAYMENT_IN_PROGRESS are retried: the server reuses the order's one transaction. */
async function requestSession(deps: PayOrderDeps, orderId: string): Promise<PaymentSession> {
  const answer = await retryTransient(() => deps.auth.send({ method: 'POST', path: '/payments/session', body: { order_id: orderId } }), deps.retry);
  return expectSuccess<PaymentSession>(answer, 200);
}

function errorResult(orderId: string, err: unknown): PayResult {
  if (!isPaymentApiError(err)) throw err;
  const outcome = SESSION_OUTCOMES[err.code];
  if (outcome === 'paid' || outcome === 'expired' || outcome === 'failed') return { outcome, orderId };
  return { outcome: 'error', orderId, code: err.code, message: err.message, httpStatus: err.httpStatus, requestId: err.problem?.request_id };
}

async function settle(deps: PayOrderDeps, orderId: string, options: PayOrderOptions, pollFor: number): Promise<PaymentStatus['status']> {
  return pollPaymentStatus(deps.auth, orderId, {
    firstPollDelayMs: options.firstPollDelayMs ?? 2000,
    pollIntervalMs: options.pollIntervalMs ?? MIN_POLL_INTERVAL_MS,
    deadline: Date.now() + pollFor,
  });
}

/**
 * The whole flow of the guide: the session, wx.requestPayment with the parameters as received, then the status
 * until WeChat Pay's notification settles it. Resolves with a tagged result; never rejects for API problems.
 */
export async function payOrder(deps: PayOrderDeps, orderId: string, options: PayOrderOptions = {}): Promise<PayResult> {
  try {
    const session = await requestSession(deps, orderId);
    const sheet = await deps.requestPayment(session);
    if (!sheet.ok && isCancelledByUser(sheet.errMsg)) return { outcome: 'cancelled_by_user', orderId };
    // A failed sheet charged nothing, unless the notification says otherwise: one look at the status.
    const status = await settle(deps, orderId, options, sheet.ok ? (options.timeoutMs ?? 30_000) : 0);
    if (!sheet.ok && status === 'pending') return { outcome: 'failed', orderId, errMsg: sheet.errMsg };
    const outcome = STATUS_OUTCOMES[status];
    return outcome === 'failed' ? { outcome, orderId, ...(sheet.ok ? {} : { errMsg: sheet.errMsg }) } : ({ outcome, orderId } as PayResult);
  } catch (err) {
    return errorResult(orderId, err);
  }
}
