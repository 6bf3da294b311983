import { defineJob } from '../jobs/job-definition';
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../observability/logger';
import { WindowCounts } from '../rate-limits/window-counts';
import { reconcileDelayMs } from './reconcile-schedule';

/** One step of an order's query chain; stately: at most one queued and one running per order. */
export const reconcileJob = defineJob<{ orderId: string; attempt: number }>('payment-reconcile', {
  policy: 'stately',
  retry: { limit: 3, delaySeconds: 5, backoff: true },
  expireInSeconds: 120,
  concurrency: 2,
  batchSize: 10,
});

/** A single query asked for by a status poll, outside the chain (debounced per order when sent). */
export const reconcileNudgeJob = defineJob<{ orderId: string }>('payment-reconcile-nudge', {
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  expireInSeconds: 60,
  batchSize: 10,
});

/** Last query, close and outcome of a lapsed order; retried with backoff until WeChat confirms the close. */
export const expiryJob = defineJob<{ orderId: string }>('order-expiry', {
  policy: 'stately',
  retry: { limit: 20, delaySeconds: 10, backoff: true },
  expireInSeconds: 120,
  batchSize: 10,
});

export const expirySweepJob = defineJob<Record<string, never>>('order-expiry-sweep', { retry: { limit: 0, delaySeconds: 0, backoff: false } });

/** What the payment use cases ask of the job queue. */
export interface PaymentJobs {
  /** The first step of the order's query chain, after the first delay of the schedule. */
  startReconciling(orderId: string): Promise<void>;
  /** The step after `attempt`; the chain stops when the order is final. */
  continueReconciling(orderId: string, attempt: number): Promise<void>;
  /** Fire and forget: a failure to queue is logged, the poll still answers. */
  nudgeReconciler(orderId: string): void;
  expire(orderId: string): Promise<void>;
}

// Polls of many open orders must not flood the queue's few connections: a session's own job would wait behind
// the backlog. Nudges beyond this many in flight are dropped; the schedule still runs, and the next poll nudges.
const MAX_NUDGES_IN_FLIGHT = 32;

export function createPaymentJobs(
  jobs: JobQueue,
  options: { scheduleMs: readonly number[]; nudgeSeconds: number; logger: Logger; now?: () => number },
): PaymentJobs {
  // Debounced here first (the queue debounces again across instances): one send per order per window, and only
  // the orders nudged in the last two windows are remembered.
  const nudged = new WindowCounts(1, options.nudgeSeconds * 1000, options.now);
  let nudgesInFlight = 0;
  const sendStep = async (orderId: string, attempt: number) => {
    const startAfter = reconcileDelayMs(options.scheduleMs, attempt) / 1000;
    await jobs.send(reconcileJob, { orderId, attempt }, { singletonKey: orderId, startAfter });
  };
  return {
    startReconciling: (orderId) => sendStep(orderId, 0),
    continueReconciling: (orderId, attempt) => sendStep(orderId, attempt + 1),
    nudgeReconciler(orderId) {
      if (nudgesInFlight >= MAX_NUDGES_IN_FLIGHT || nudged.hit(orderId) !== 0) return;
      nudgesInFlight++;
      jobs
        .send(reconcileNudgeJob, { orderId }, { debounce: { key: orderId, seconds: options.nudgeSeconds } })
        .catch((err: unknown) => options.logger.warn({ err, orderId }, 'reconciler nudge not queued'))
        .finally(() => nudgesInFlight--);
    },
    async expire(orderId) {
      await jobs.send(expiryJob, { orderId }, { singletonKey: orderId });
    },
  };
}
