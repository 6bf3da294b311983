import { retryAfterMs, type ApiAnswer } from './api-request';
import { isPaymentApiError, NETWORK_ERROR } from './payment-api-error';
import { sleep } from './sleep';

/** 502/504: WeChat failed or timed out behind the API, which keeps the same transaction; 503: the database is back soon. A retry is safe. */
const TRANSIENT_STATUSES = [502, 503, 504];

export interface RetryPolicy {
  attempts: number;
  /** Wait before retry n (1-based) when the answer gives no Retry-After. */
  backoffMs(retry: number): number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: (retry) => 500 * 2 ** (retry - 1) };

function waitBeforeRetry(answer: ApiAnswer): number | undefined {
  if (TRANSIENT_STATUSES.includes(answer.status)) return retryAfterMs(answer) ?? -1;
  // 409 PAYMENT_IN_PROGRESS and 429 always carry Retry-After; another 409 is final.
  if ((answer.status === 409 || answer.status === 429) && retryAfterMs(answer) !== undefined) return retryAfterMs(answer);
  return undefined;
}

/**
 * Sends `send` again, unchanged, while the answer is transient: no answer at all (network), 502/503/504, or
 * 409/429 with Retry-After. Callers make `send` safe to repeat (same Idempotency-Key, same order id).
 */
export async function retryTransient(send: () => Promise<ApiAnswer>, policy: RetryPolicy = DEFAULT_RETRY): Promise<ApiAnswer> {
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= policy.attempts;
    try {
      const answer = await send();
      const wait = waitBeforeRetry(answer);
      if (wait === undefined || last) return answer;
      await sleep(wait >= 0 ? wait : policy.backoffMs(attempt));
    } catch (err) {
      if (!isPaymentApiError(err, NETWORK_ERROR) || last) throw err;
      await sleep(policy.backoffMs(attempt));
    }
  }
}
