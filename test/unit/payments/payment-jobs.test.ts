import type { JobQueue } from '../../../src/jobs/job-queue';
import { createLogger } from '../../../src/observability/logger';
import { createPaymentJobs } from '../../../src/payments/payment-jobs';

/** A queue that records what it is sent and answers each send when told to. */
function recordingQueue() {
  const sent: { name: string; data: unknown }[] = [];
  const pending: (() => void)[] = [];
  const queue = {
    send: (definition: { name: string }, data: unknown) =>
      new Promise<void>((resolve) => {
        sent.push({ name: definition.name, data });
        pending.push(resolve);
      }),
  } as unknown as JobQueue;
  return { queue, sent, answerAll: () => pending.splice(0).forEach((resolve) => resolve()) };
}

const options = { scheduleMs: [5000], nudgeSeconds: 5, logger: createLogger('silent') };

describe('nudging the reconciler from status polls', () => {
  describe('given the same order polled twice within the window', () => {
    it('sends one nudge', () => {
      const { queue, sent } = recordingQueue();
      const jobs = createPaymentJobs(queue, options);
      jobs.nudgeReconciler('order-1');
      jobs.nudgeReconciler('order-1');
      expect(sent).toEqual([{ name: 'payment-reconcile-nudge', data: { orderId: 'order-1' } }]);
    });
  });

  describe('given the same order polled again once the window has passed', () => {
    it('sends a second nudge', () => {
      const clock = { now: 0 };
      const { queue, sent } = recordingQueue();
      const jobs = createPaymentJobs(queue, { ...options, now: () => clock.now });
      jobs.nudgeReconciler('order-1');
      clock.now = 4999;
      jobs.nudgeReconciler('order-1');
      clock.now = 5000;
      jobs.nudgeReconciler('order-1');
      expect(sent).toHaveLength(2);
    });
  });

  describe('given many open orders polled while the queue is slow', () => {
    it('keeps at most 32 nudges in flight, and sends again once they are answered', async () => {
      const { queue, sent, answerAll } = recordingQueue();
      const jobs = createPaymentJobs(queue, options);
      for (let i = 0; i < 100; i++) jobs.nudgeReconciler(`order-${i}`);
      expect(sent).toHaveLength(32);
      answerAll();
      await new Promise((resolve) => setImmediate(resolve));
      jobs.nudgeReconciler('order-99');
      expect(sent).toHaveLength(33);
    });
  });
});
