import { isRetryable } from '../errors';

export interface RetryPolicy {
  /** Retries after the first try (so `attempts: 2` sends at most 3 requests). */
  attempts: number;
  /** Backoff before retry n is `baseDelayMs * 2^(n-1)`. */
  baseDelayMs: number;
}

/** WeChat Pay: "5开头的错误码…使用原请求参数重试即可，一般重试2~3次". */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 2, baseDelayMs: 200 };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` again only for `isRetryable` failures (429, transient 5xx, network). The caller re-sends the same
 * body each time; only the signature, nonce and timestamp change, which WeChat treats as the same request.
 */
export async function retryWechatPayCall<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call(attempt);
    } catch (err) {
      if (attempt > policy.attempts || !isRetryable(err)) throw err;
      await wait(policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

/** The longest one call can take with its retries and backoff: what a caller holding a lock must wait for. */
export function worstCaseCallMs(timeoutMs: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  let backoff = 0;
  for (let retry = 1; retry <= policy.attempts; retry++) backoff += policy.baseDelayMs * 2 ** (retry - 1);
  return timeoutMs * (policy.attempts + 1) + backoff;
}
