import type { JobQueue } from '../jobs/job-queue';
import { expireOrder } from './expire-order';
import { expiryJob, expirySweepJob, reconcileJob, reconcileNudgeJob, type PaymentJobs } from './payment-jobs';
import { reconcilePayment, type ReconcileDeps } from './reconcile-payment';

/** Lapsed orders looked for per sweep; the next sweep takes the rest. */
const SWEEP_LIMIT = 500;

/** What this instance runs for payments when it runs jobs: the query chains, nudges, expiry and its sweep. */
export function registerPaymentWorkers(jobs: JobQueue, deps: ReconcileDeps, paymentJobs: PaymentJobs, options: { expirySweepSeconds: number }): void {
  jobs.work(reconcileJob, async ({ orderId, attempt }) => {
    if ((await reconcilePayment(deps, orderId, 'reconciler')) === 'open') await paymentJobs.continueReconciling(orderId, attempt);
  });
  jobs.work(reconcileNudgeJob, async ({ orderId }) => {
    await reconcilePayment(deps, orderId, 'reconciler');
  });
  jobs.work(expiryJob, ({ orderId }) => expireOrder(deps, orderId));
  // The sweep reads the application's clock, so a lapse is judged by the same time the seat lock was set with.
  jobs.every(expirySweepJob, options.expirySweepSeconds, {});
  jobs.work(expirySweepJob, async () => {
    for (const orderId of await deps.orders.findLapsed(deps.clock(), SWEEP_LIMIT)) await paymentJobs.expire(orderId);
  });
}
