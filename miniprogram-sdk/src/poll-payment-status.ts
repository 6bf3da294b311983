import { expectSuccess, retryAfterMs } from './api-request';
import type { AuthSession } from './auth-session';
import type { PaymentStatus } from './contract-types';
import { isPaymentApiError, NETWORK_ERROR } from './payment-api-error';
import { sleep } from './sleep';

/** The server allows one poll per 3 seconds per traveler and order (card §4). */
export const MIN_POLL_INTERVAL_MS = 3000;

export interface PollTiming {
  /** WeChat Pay's notification is asynchronous: the guide waits 2–3 s before the first query. */
  firstPollDelayMs: number;
  /** Never below MIN_POLL_INTERVAL_MS. */
  pollIntervalMs: number;
  /** Stop polling at this time (Date.now() milliseconds); the last status read is returned. */
  deadline: number;
}

type Status = PaymentStatus['status'];

/** One poll: the status, or the time to wait before the next one (429's Retry-After, or a 5xx / network blip). */
async function pollOnce(auth: AuthSession, orderId: string): Promise<{ status: Status } | { waitMs?: number }> {
  try {
    const answer = await auth.send({ method: 'GET', path: `/payments/${encodeURIComponent(orderId)}/status` });
    if (answer.status === 429) return { waitMs: retryAfterMs(answer) };
    if (answer.status >= 500) return {};
    return { status: expectSuccess<PaymentStatus>(answer, 200).status };
  } catch (err) {
    if (isPaymentApiError(err, NETWORK_ERROR)) return {};
    throw err;
  }
}

/**
 * Polls GET /payments/{orderId}/status until it is no longer `pending` or the deadline passes. Resolves with the
 * last status read (`pending` if none); a 4xx other than 401 and 429 rejects with its PaymentApiError.
 */
export async function pollPaymentStatus(auth: AuthSession, orderId: string, timing: PollTiming): Promise<Status> {
  const interval = Math.max(MIN_POLL_INTERVAL_MS, timing.pollIntervalMs);
  let last: Status = 'pending';
  await sleep(Math.min(timing.firstPollDelayMs, timing.deadline - Date.now()));
  for (;;) {
    const polled = await pollOnce(auth, orderId);
    if ('status' in polled) last = polled.status;
    if (last !== 'pending') return last;
    const wait = 'waitMs' in polled && polled.waitMs !== undefined ? Math.max(polled.waitMs, interval) : interval;
    if (Date.now() + wait > timing.deadline) return last;
    await sleep(wait);
  }
}
