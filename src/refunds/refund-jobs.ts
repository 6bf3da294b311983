import { defineJob } from '../jobs/job-definition';
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../observability/logger';
import type { RefundsService } from './refunds-service';

/** One order paid after it was cancelled, refunded in full; at most one queued and one running per order. */
export const refundPaidAfterCancelJob = defineJob<{ orderId: string }>('refund-paid-after-cancel', {
  policy: 'stately',
  retry: { limit: 10, delaySeconds: 30, backoff: true },
});

/** Finds flagged orders no refund was made for and queues their refund: nothing is lost if a process died in between. */
export const sweepPaidAfterCancelJob = defineJob<Record<string, never>>('sweep-paid-after-cancel', {
  policy: 'singleton',
  retry: { limit: 0, delaySeconds: 5, backoff: false },
});

/** Refunds WeChat has not finished: PENDING ones re-sent with their stored body, PROCESSING ones queried. */
export const reconcileRefundsJob = defineJob<Record<string, never>>('reconcile-refunds', {
  policy: 'singleton',
  retry: { limit: 0, delaySeconds: 5, backoff: false },
});

export interface RefundJobsOptions {
  autoRefundPaidAfterCancel: boolean;
  /** Period of the reconciler and of the paid-after-cancel sweep; 0 runs neither by itself. */
  intervalSeconds: number;
  logger: Logger;
}

// WeChat Pay: query a refund about a minute after applying for it.
const RECONCILE_AFTER_MS = 60_000;
const BATCH = 50;

/** The refund jobs, on the same use cases as the operator API: the reconciler, and (opt-in) the paid-after-cancel refund. */
export function registerRefundJobs(jobs: JobQueue, refunds: RefundsService, options: RefundJobsOptions): void {
  const { logger } = options;
  jobs.work(reconcileRefundsJob, async () => {
    const result = await refunds.reconcileUnsettled({ olderThanMs: RECONCILE_AFTER_MS, limit: BATCH });
    if (result.checked > 0) logger.info(result, 'refund reconciliation pass');
  });
  if (options.intervalSeconds > 0) jobs.every(reconcileRefundsJob, options.intervalSeconds, {});

  logger.info(
    { autoRefundPaidAfterCancel: options.autoRefundPaidAfterCancel },
    'paid_after_cancel orders: automatic refund decision (AUTO_REFUND_PAID_AFTER_CANCEL)',
  );
  if (!options.autoRefundPaidAfterCancel) return;
  jobs.work(refundPaidAfterCancelJob, async ({ orderId }) => {
    await refunds.refundPaidAfterCancel(orderId);
  });
  jobs.work(sweepPaidAfterCancelJob, async () => {
    for (const orderId of await refunds.findOrdersAwaitingAutoRefund(BATCH)) {
      await jobs.send(refundPaidAfterCancelJob, { orderId }, { singletonKey: orderId });
    }
  });
  if (options.intervalSeconds > 0) jobs.every(sweepPaidAfterCancelJob, options.intervalSeconds, {});
}
